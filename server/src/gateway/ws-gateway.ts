import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ServerMessage } from '@tollgate/machines';
import { WebSocketServer } from 'ws';
import type { Logger } from '../logger.ts';
import { openGatewayConnection } from './gateway-connection.ts';
import { DEFAULT_LIMITS, type GatewayLimits } from './gateway-limits.ts';
import type { GatewayRegistry } from './gateway-registry.ts';
import type { GatewaySocket } from './gateway-socket.ts';
import { startHeartbeat } from './heartbeat.ts';
import { sendGuarded } from './send-guarded.ts';
import { upgradeRefusal } from './upgrade-refusal.ts';
import { adaptWsSocket } from './ws-socket-adapter.ts';

export interface GatewayDeps {
  registry: GatewayRegistry;
  logger: Logger;
  appToken: string | null;
  allowedOrigins: string[];
  clock: () => number;
  /** The hello a new connection receives (Claude's status, the tools). */
  hello: () => ServerMessage;
  listConversations: () => ServerMessage;
  createConversation: (requestId: string) => ServerMessage;
  limits?: Partial<GatewayLimits>;
}

/** Who is on the other end, for the logs. */
export interface GatewayPeer {
  remoteAddress?: string | undefined;
}

/**
 * The WebSocket side of the server: it authorises upgrades, keeps the connections (their
 * heartbeat, broadcasts to all) and runs each one's protocol (gateway-connection.ts) over a
 * GatewaySocket, so that logic runs the same over `ws` or an in-memory socket.
 */
export function createWsGateway(deps: GatewayDeps) {
  const limits: GatewayLimits = { ...DEFAULT_LIMITS, ...deps.limits };
  // The hard cap closes abusive frames at the protocol level (1009) before they are buffered
  // whole; below it, the soft cap answers with an error.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes * 4 });
  /** Each open connection's own send, which keeps its limits (a catch-up's allowance, say). */
  const connections = new Map<GatewaySocket, (message: string) => void>();
  const heartbeat = startHeartbeat(limits.heartbeatMs);
  let closed = false;

  /** Runs the protocol on a socket that is already authorised. */
  function accept(socket: GatewaySocket, peer: GatewayPeer = {}): void {
    if (closed) {
      socket.terminate();
      return;
    }
    heartbeat.watch(socket);
    socket.onClose(() => {
      connections.delete(socket);
      heartbeat.forget(socket);
    });
    const connection = openGatewayConnection(socket, {
      registry: deps.registry,
      logger: deps.logger.child({ remote: peer.remoteAddress }),
      limits,
      clock: deps.clock,
      hello: deps.hello,
      listConversations: deps.listConversations,
      createConversation: deps.createConversation,
    });
    if (socket.isOpen) connections.set(socket, connection.send);
  }

  return {
    /** For the HTTP server's `upgrade` event on the WebSocket path. */
    handleUpgrade(request: IncomingMessage, stream: Duplex, head: Buffer): void {
      wss.handleUpgrade(request, stream, head, (ws) => {
        const remoteAddress = request.socket.remoteAddress;
        const log = deps.logger.child({ remote: remoteAddress });
        // `stream` is the socket ws writes its frames to: the adapter corks it per turn.
        const socket = adaptWsSocket(ws, stream, (failure) =>
          log.debug({ err: failure }, 'socket error'),
        );
        const refusal = upgradeRefusal(request, deps);
        if (refusal) {
          // Refused after the handshake, so the page can read why instead of a bare failure.
          sendGuarded(
            socket,
            { type: 'error', code: refusal.code, message: refusal.message },
            limits.maxBufferedBytes,
          );
          socket.close(refusal.closeCode, refusal.closeReason);
          return;
        }
        accept(socket, { remoteAddress });
      });
    },
    accept,
    broadcast(message: ServerMessage): void {
      const text = JSON.stringify(message);
      for (const send of connections.values()) send(text);
    },
    close(): void {
      closed = true;
      heartbeat.stop();
      for (const socket of connections.keys()) socket.terminate();
      wss.close();
    },
  };
}

export type WsGateway = ReturnType<typeof createWsGateway>;
