import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ServerMessage } from '@tollgate/machines';
import { WebSocketServer } from 'ws';
import { type AccessGate, createAccessGate } from '../http/access-gate.ts';
import type { Person } from '../http/access-person.ts';
import type { Logger } from '../logger.ts';
import type { Owner } from '../store/conversation-index.ts';
import type { SearchAnswer } from '../store/conversation-search.ts';
import { type GatewayGrants, openGatewayConnection } from './gateway-connection.ts';
import { CLOSE, DEFAULT_LIMITS, type GatewayLimits } from './gateway-limits.ts';
import type { GatewayRegistry } from './gateway-registry.ts';
import type { GatewaySocket } from './gateway-socket.ts';
import { createHandlingSlices, NODE_SLICE_LOOP } from './handling-slices.ts';
import { startHeartbeat } from './heartbeat.ts';
import { sendGuarded } from './send-guarded.ts';
import { judgeUpgrade } from './upgrade-refusal.ts';
import { adaptWsSocket } from './ws-socket-adapter.ts';

export interface GatewayDeps {
  /** Each connection reaches its owner's conversations only (owned-registry.ts). */
  registry: GatewayRegistry;
  logger: Logger;
  /** Who may open the WebSocket, and as whom: the HTTP routes' gate (http/access-gate.ts). */
  access?: AccessGate;
  /** Without `access`, a gate of this token alone: one owner, no trusted proxies. */
  appToken?: string | null;
  allowedOrigins: string[];
  clock: () => number;
  /** The hello a new connection receives (Claude's status, the tools, who the person is). */
  hello: (person: Person | null) => ServerMessage;
  /** The owner's conversations (null: the single owner). */
  listConversations: (owner: Owner) => Promise<ServerMessage>;
  createConversation: (requestId: string, owner: Owner) => Promise<ServerMessage>;
  /** Tries an MCP server again now; false when there is none of that name (mcp-hub.ts). */
  restartMcpServer: (server: string) => boolean;
  /** Deletes one of the owner's conversations; false when the owner has no such one. */
  deleteConversation: (conversationId: string, owner: Owner) => Promise<boolean>;
  searchConversations: (owner: Owner, query: string) => Promise<SearchAnswer>;
  /** The owner's "Always allow everywhere" grants, for the Policies panel. */
  grants?: GatewayGrants;
  /** Whether conversations can be served now (the store reachable); new sockets wait if not. */
  available?: () => boolean;
  limits?: Partial<GatewayLimits>;
}

/** Who is on the other end: the address, for the logs; the person (none: the single owner). */
export interface GatewayPeer {
  remoteAddress?: string | undefined;
  person?: Person | null;
}

/**
 * The WebSocket side of the server: it authorises upgrades (as a person, or the single owner),
 * keeps the connections (their heartbeat, broadcasts to all or to one owner's) and runs each
 * one's protocol (gateway-connection.ts) over a GatewaySocket, so that logic runs the same over
 * `ws` or an in-memory socket.
 */
export function createWsGateway(deps: GatewayDeps) {
  const limits: GatewayLimits = { ...DEFAULT_LIMITS, ...deps.limits };
  // The hard cap closes abusive frames at the protocol level (1009) before they are buffered
  // whole; below it, the soft cap answers with an error.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes * 4 });
  const access =
    deps.access ??
    createAccessGate({
      appToken: deps.appToken ?? null,
      trustedProxies: [],
      trustedUserHeader: null,
    });
  /**
   * Each open connection's own send, which keeps its limits (a catch-up's allowance, say), and
   * whose conversations it sees, so that news of one owner's list reaches no one else.
   */
  const connections = new Map<GatewaySocket, { send: (message: string) => void; owner: Owner }>();
  const heartbeat = startHeartbeat(limits.heartbeatMs);
  const slices = createHandlingSlices(NODE_SLICE_LOOP);
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
    const person = peer.person ?? null;
    const connection = openGatewayConnection(socket, {
      registry: deps.registry,
      logger: deps.logger.child({
        remote: peer.remoteAddress,
        ...(person ? { person: person.name } : {}),
      }),
      limits,
      clock: deps.clock,
      person,
      hello: deps.hello,
      listConversations: deps.listConversations,
      createConversation: deps.createConversation,
      restartMcpServer: deps.restartMcpServer,
      deleteConversation: deps.deleteConversation,
      searchConversations: deps.searchConversations,
      ...(deps.grants ? { grants: deps.grants } : {}),
      slices,
    });
    if (socket.isOpen) connections.set(socket, { send: connection.send, owner: connection.owner });
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
        if (deps.available && !deps.available()) {
          socket.close(CLOSE.unavailable, 'database unavailable');
          return;
        }
        const verdict = judgeUpgrade(request, { access, allowedOrigins: deps.allowedOrigins });
        if (!verdict.allowed) {
          const { refusal } = verdict;
          // Refused after the handshake, so the page can read why instead of a bare failure.
          sendGuarded(
            socket,
            { type: 'error', code: refusal.code, message: refusal.message },
            limits.maxBufferedBytes,
          );
          socket.close(refusal.closeCode, refusal.closeReason);
          return;
        }
        accept(socket, { remoteAddress, person: verdict.person });
      });
    },
    accept,
    /** To every connection: news that is everyone's (the tools). */
    broadcast(message: ServerMessage): void {
      const text = JSON.stringify(message);
      for (const { send } of connections.values()) send(text);
    },
    /** To the connections of one owner only: news of their conversations. */
    broadcastTo(owner: Owner, message: ServerMessage): void {
      const text = JSON.stringify(message);
      for (const connection of connections.values()) {
        if (connection.owner === owner) connection.send(text);
      }
    },
    /** Closes every connection with a reason (the page reconnects unless the code refuses). */
    closeAll(code: number, reason: string): void {
      for (const socket of connections.keys()) socket.close(code, reason);
    },
    close(): void {
      closed = true;
      heartbeat.stop();
      slices.close();
      for (const socket of connections.keys()) socket.terminate();
      wss.close();
    },
  };
}

export type WsGateway = ReturnType<typeof createWsGateway>;
