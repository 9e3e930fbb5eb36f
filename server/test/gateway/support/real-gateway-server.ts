import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { createWsGateway } from '../../../src/gateway/ws-gateway.ts';
import { conditionWaiters } from '../../support/condition-waiters.ts';
import { type TestGatewayOptions, testGatewayDeps } from './gateway-harness.ts';

/**
 * The gateway behind a real HTTP server on a free local port, wired as tollgate-server.ts wires
 * it. `streams` holds the socket of each upgrade, the one ws writes to, so a test can look at
 * it. Everything is closed when the test ends.
 */
export async function startRealGateway(
  options: TestGatewayOptions & { allowedOrigins?: string[] } = {},
) {
  const gateway = createWsGateway({
    ...testGatewayDeps(options),
    allowedOrigins: options.allowedOrigins ?? [],
  });
  const streams: Duplex[] = [];
  const http = createServer();
  http.on('upgrade', (request, stream, head) => {
    streams.push(stream);
    gateway.handleUpgrade(request, stream, head);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    gateway.close();
    await new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    });
  });
  const { port } = http.address() as AddressInfo;
  return { gateway, streams, url: `ws://127.0.0.1:${port}/ws` };
}

/** A real `ws` client that keeps every message's text and says how it was closed. */
export async function connectWs(url: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(url, { headers });
  onTestFinished(() => socket.terminate());
  const texts: string[] = [];
  // Settles once a condition holds, checked after every message and on close.
  const { until, changed: wake } = conditionWaiters();
  let closure: { code: number; reason: string } | null = null;
  socket.on('message', (data, isBinary) => {
    texts.push(isBinary ? '<binary>' : String(data));
    wake();
  });
  socket.on('close', (code, reason) => {
    closure = { code, reason: String(reason) };
    wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });

  return {
    socket,
    texts,
    closure: () => closure,
    /** Settles once `count` messages have arrived in all. */
    received: (count: number) => until(() => texts.length >= count),
    closed: () => until(() => closure !== null).then(() => closure!),
  };
}
