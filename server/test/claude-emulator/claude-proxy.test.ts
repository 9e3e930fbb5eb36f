// Claude through a company's proxy: HTTPS_PROXY, HTTP_PROXY and NO_PROXY, with a real forward
// proxy on 127.0.0.1 (test-proxy.ts) that resolves names no resolver knows, so an answer can only
// have come through it. The real server is tested over TLS, as the API is reached (CONNECT, then
// TLS inside the tunnel, trusted through NODE_EXTRA_CA_CERTS as a company's own CA would be);
// the transport alone for plain HTTP and a proxy that refuses.

import { APIConnectionError } from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeHttpFetch } from '../../src/claude/node-http-fetch.ts';
import { readProxySettings } from '../../src/claude/proxy-settings.ts';
import { textDeltasOf, turnCompleted } from '../server/flow-scripts.ts';
import { type ServerProcess, serverDirs, startServerProcess } from '../server/server-process.ts';
import { connectClient, type WsTestClient } from '../server/ws-test-client.ts';
import { type ClaudeEmulator, startClaudeEmulator } from './claude-emulator.ts';
import { baseParams, sdkClient } from './emulator-test-kit.ts';
import { textAnswer } from './scripted-response.ts';
import { makeTestCertificate, type TestCertificate } from './test-certificate.ts';
import { startTestProxy, type TestProxy } from './test-proxy.ts';
import { startTlsFront, type TlsFront } from './tls-front.ts';

/** A name only the test proxy can resolve (.test is reserved: no resolver knows it). */
const CLAUDE_HOST = 'claude.example.test';

let emulator: ClaudeEmulator;
let proxy: TestProxy | undefined;
let front: TlsFront | undefined;
let certificate: TestCertificate | undefined;
let server: ServerProcess | undefined;
let client: WsTestClient | undefined;

beforeEach(async () => {
  emulator = await startClaudeEmulator();
});
afterEach(async () => {
  client?.close();
  await server?.kill('SIGKILL');
  await Promise.all([proxy?.close(), front?.close(), emulator.close(), certificate?.remove()]);
  client = server = proxy = front = certificate = undefined;
});

function transport(env: Record<string, string>) {
  const settings = readProxySettings(env);
  if (!settings.ok) throw new Error(settings.problems.join('\n'));
  return createNodeHttpFetch({ proxy: settings.proxy });
}

describe('the real server behind a proxy', () => {
  /** The emulator behind TLS on 127.0.0.1, and a proxy that reaches it as claude.example.test. */
  async function claudeOverTls() {
    certificate = await makeTestCertificate({ dns: [CLAUDE_HOST], ips: ['127.0.0.1'] });
    front = await startTlsFront(Number(new URL(emulator.url).port), certificate);
    proxy = await startTestProxy({ [`${CLAUDE_HOST}:443`]: front.port });
    return { certFile: certificate.certFile, tlsPort: front.port, proxyUrl: proxy.url };
  }

  /** Starts the server with these settings and has it answer one message; returns the text. */
  async function oneTurn(env: Record<string, string>) {
    const dirs = await serverDirs();
    server = await startServerProcess({
      ANTHROPIC_API_KEY: 'test-key',
      DATA_DIR: dirs.dataDir,
      WORKSPACE_DIR: dirs.workspaceDir,
      ...env,
    });
    client = await connectClient(server.wsUrl);
    await client.waitForMessage('hello');
    const id = await client.createConversation();
    await client.subscribe(id);
    emulator.enqueue(textAnswer('Hello through the proxy.'));
    client.command(id, { type: 'user.message', text: 'Hi' });
    await turnCompleted(client, id, 1);
    return textDeltasOf(client.entries(id)).join('');
  }

  it('reaches Claude through HTTPS_PROXY: a CONNECT tunnel, TLS inside it', async () => {
    const { certFile, proxyUrl } = await claudeOverTls();
    const text = await oneTurn({
      ANTHROPIC_BASE_URL: `https://${CLAUDE_HOST}`,
      HTTPS_PROXY: proxyUrl,
      NODE_EXTRA_CA_CERTS: certFile,
    });

    expect(text).toBe('Hello through the proxy.');
    expect(proxy?.seen).toEqual([`CONNECT ${CLAUDE_HOST}:443`]);
    expect(emulator.requests.map((r) => [r.path, r.status, r.headers.host])).toEqual([
      ['/v1/messages', 200, CLAUDE_HOST],
    ]);
  });

  it('goes straight to a host NO_PROXY names, not through HTTPS_PROXY', async () => {
    const { certFile, tlsPort, proxyUrl } = await claudeOverTls();
    const text = await oneTurn({
      ANTHROPIC_BASE_URL: `https://127.0.0.1:${tlsPort}`,
      HTTPS_PROXY: proxyUrl,
      NO_PROXY: 'localhost,127.0.0.1',
      NODE_EXTRA_CA_CERTS: certFile,
    });

    expect(text).toBe('Hello through the proxy.');
    expect(proxy?.seen).toEqual([]);
    expect(emulator.requests.map((r) => r.status)).toEqual([200]);
  });

  it('refuses to start on a proxy it cannot use', async () => {
    const dirs = await serverDirs();
    await expect(
      startServerProcess({ DATA_DIR: dirs.dataDir, HTTPS_PROXY: 'socks5://127.0.0.1:1080' }),
    ).rejects.toThrow(/HTTPS_PROXY must be an http:\/\/ or https:\/\/ proxy \(not socks5:\/\/\)/);
  });
});

describe('the Claude transport behind a proxy', () => {
  it('sends http:// requests through HTTP_PROXY, as absolute URLs', async () => {
    proxy = await startTestProxy({ [`${CLAUDE_HOST}:80`]: Number(new URL(emulator.url).port) });
    emulator.enqueue(textAnswer('Hello over plain HTTP.'));
    const claude = sdkClient(emulator, {
      baseURL: `http://${CLAUDE_HOST}`,
      fetch: transport({ HTTP_PROXY: proxy.url }),
    });

    const message = await claude.messages.stream(baseParams()).finalMessage();

    expect(message.content).toEqual([{ type: 'text', text: 'Hello over plain HTTP.' }]);
    expect(proxy.seen).toEqual([`POST http://${CLAUDE_HOST}/v1/messages`]);
    expect(emulator.requests.map((r) => [r.status, r.headers.host])).toEqual([[200, CLAUDE_HOST]]);
  });

  it('fails as a connection error naming the proxy when it refuses the tunnel', async () => {
    proxy = await startTestProxy({}, { refuse: [`${CLAUDE_HOST}:443`] });
    const claude = sdkClient(emulator, {
      baseURL: `https://${CLAUDE_HOST}`,
      fetch: transport({ HTTPS_PROXY: proxy.url }),
    });

    const error = await claude.messages.create(baseParams()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as APIConnectionError).cause).toMatchObject({
      code: 'EPROXYREFUSED',
      message: `the proxy ${new URL(proxy.url).host} refused the tunnel to ${CLAUDE_HOST}: 403 Forbidden`,
    });
    // The request itself, with its API key, never left for the proxy or Claude.
    expect(proxy.seen).toEqual([`CONNECT ${CLAUDE_HOST}:443`]);
    expect(emulator.requests).toEqual([]);
  });
});
