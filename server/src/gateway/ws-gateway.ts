import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type ClientMessage,
  clientMessageSchema,
  type ErrorCode,
  type ServerMessage,
} from '@tollgate/machines';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ConversationRegistry } from '../conversations/conversation-registry.ts';
import type { Subscriber } from '../conversations/conversation-runtime.ts';
import type { Logger } from '../logger.ts';
import { originAllowed } from './origin-check.ts';
import { createTokenBucket } from './token-bucket.ts';

export interface GatewayLimits {
  /** Larger messages are refused with `too_large` (the connection stays). */
  maxMessageBytes: number;
  /** Messages per second per connection, and the burst allowed above it. */
  messagesPerSecond: number;
  burst: number;
  /** Bytes queued for a client before it counts as too slow and is disconnected. */
  maxBufferedBytes: number;
  heartbeatMs: number;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  maxMessageBytes: 256 * 1024,
  messagesPerSecond: 20,
  burst: 60,
  maxBufferedBytes: 8 * 1024 * 1024,
  heartbeatMs: 15_000,
};

export interface GatewayDeps {
  registry: ConversationRegistry;
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

/** WebSocket close codes of our own (4000–4999), so a client knows whether to reconnect. */
export const CLOSE = { unauthorized: 4401, forbiddenOrigin: 4403, slowConsumer: 4008 } as const;

/** The conversation and command a message names, if it names them in the expected places. */
function refusalContext(json: unknown): { commandId?: string; conversationId?: string } {
  if (typeof json !== 'object' || json === null) return {};
  const message = json as { conversationId?: unknown; command?: { commandId?: unknown } };
  const context: { commandId?: string; conversationId?: string } = {};
  if (typeof message.command?.commandId === 'string')
    context.commandId = message.command.commandId.slice(0, 128);
  if (
    typeof message.conversationId === 'string' &&
    /^[a-zA-Z0-9_-]{1,64}$/.test(message.conversationId)
  ) {
    context.conversationId = message.conversationId;
  }
  return context;
}

function tokenMatches(expected: string, given: string | null): boolean {
  if (given === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The gateway only forwards: it validates every message against the shared schemas, hands
 * commands to the conversation's actor and sends back what the actor's log broadcasts. Every
 * refusal is an `error` message with a code; nothing a client sends can throw past it.
 */
export function createWsGateway(deps: GatewayDeps) {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  // The hard cap closes abusive frames at the protocol level; the soft cap answers with an error.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes * 4 });
  const connections = new Set<WebSocket>();
  const alive = new WeakMap<WebSocket, boolean>();

  const heartbeat = setInterval(() => {
    for (const socket of connections) {
      if (alive.get(socket) === false) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, limits.heartbeatMs);
  heartbeat.unref();

  function send(socket: WebSocket, message: ServerMessage | string) {
    if (socket.readyState !== socket.OPEN) return;
    // A client that cannot keep up is cut loose rather than buffered without bound; it resumes
    // from its last seq when it reconnects.
    if (socket.bufferedAmount > limits.maxBufferedBytes) {
      socket.close(CLOSE.slowConsumer, 'too slow: reconnect and resume');
      return;
    }
    socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  function error(socket: WebSocket, code: ErrorCode, message: string, extra: object = {}) {
    send(socket, { type: 'error', code, message, ...extra });
  }

  /** The conversation's runtime, or null after telling the client there is no such conversation. */
  function runtimeOr404(socket: WebSocket, conversationId: string, commandId?: string) {
    const runtime = deps.registry.get(conversationId);
    if (!runtime) {
      error(socket, 'unknown_conversation', `There is no conversation ${conversationId}.`, {
        conversationId,
        ...(commandId ? { commandId } : {}),
      });
    }
    return runtime;
  }

  function handle(
    socket: WebSocket,
    subscriber: Subscriber,
    watching: Set<string>,
    message: ClientMessage,
  ) {
    switch (message.type) {
      case 'list_conversations':
        send(socket, deps.listConversations());
        return;
      case 'create_conversation':
        send(socket, deps.createConversation(message.requestId));
        return;
      case 'subscribe': {
        const runtime = runtimeOr404(socket, message.conversationId);
        if (!runtime) return;
        runtime.unsubscribe(subscriber);
        const lastSeq = runtime.subscribe(subscriber, message.afterSeq);
        watching.add(message.conversationId);
        send(socket, { type: 'subscribed', conversationId: message.conversationId, lastSeq });
        return;
      }
      case 'unsubscribe':
        deps.registry.get(message.conversationId)?.unsubscribe(subscriber);
        watching.delete(message.conversationId);
        return;
      case 'command': {
        const runtime = runtimeOr404(socket, message.conversationId, message.command.commandId);
        if (!runtime) return;
        const outcome = runtime.command(message.command);
        if (outcome.status === 'rejected') {
          error(socket, 'command_rejected', outcome.message, {
            conversationId: message.conversationId,
            commandId: message.command.commandId,
          });
        }
        return;
      }
    }
  }

  function accept(socket: WebSocket, request: IncomingMessage) {
    connections.add(socket);
    alive.set(socket, true);
    socket.on('pong', () => alive.set(socket, true));
    const log = deps.logger.child({ remote: request.socket.remoteAddress });
    const watching = new Set<string>();
    const bucket = createTokenBucket(limits.messagesPerSecond, limits.burst, deps.clock);
    const subscriber: Subscriber = { deliver: (message) => send(socket, message) };

    socket.on('message', (data, isBinary) => {
      // Which command a refusal is about, when it can be read: a tab waiting for that command
      // must learn it was refused, or it would resend it forever.
      let about: { commandId?: string; conversationId?: string } = {};
      try {
        let json: unknown;
        try {
          json = JSON.parse(isBinary ? '' : String(data));
        } catch {
          error(socket, 'bad_json', 'That message is not JSON.');
          return;
        }
        about = refusalContext(json);
        const size = Array.isArray(data)
          ? data.reduce((n, b) => n + b.length, 0)
          : (data as Buffer).length;
        if (size > limits.maxMessageBytes) {
          error(
            socket,
            'too_large',
            `Messages are limited to ${limits.maxMessageBytes} bytes.`,
            about,
          );
          return;
        }
        if (!bucket.take()) {
          error(socket, 'rate_limited', 'Too many messages; slow down.', about);
          return;
        }
        const parsed = clientMessageSchema.safeParse(json);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          error(
            socket,
            'bad_message',
            `That message is not one Tollgate understands: ${issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid'}.`,
            about,
          );
          return;
        }
        handle(socket, subscriber, watching, parsed.data);
      } catch (failure) {
        log.error({ err: failure }, 'message handling failed');
        error(
          socket,
          'internal',
          'Something went wrong on the server; the message was not applied.',
          about,
        );
      }
    });
    socket.on('close', () => {
      connections.delete(socket);
      for (const id of watching) deps.registry.get(id)?.unsubscribe(subscriber);
    });
    socket.on('error', (failure) => log.debug({ err: failure }, 'socket error'));
    send(socket, deps.hello());
  }

  return {
    /** For the HTTP server's `upgrade` event on the WebSocket path. */
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
      wss.handleUpgrade(request, socket, head, (ws) => {
        // Refuse after the handshake, so the page can read why instead of a bare failure.
        if (!originAllowed(request.headers.origin, request.headers.host, deps.allowedOrigins)) {
          error(
            ws,
            'forbidden_origin',
            `Connections from ${request.headers.origin} are not allowed (ALLOWED_ORIGINS).`,
          );
          ws.close(CLOSE.forbiddenOrigin, 'origin not allowed');
          return;
        }
        if (deps.appToken !== null) {
          const token = new URL(request.url ?? '/', 'http://x').searchParams.get('token');
          if (!tokenMatches(deps.appToken, token)) {
            error(
              ws,
              'unauthorized',
              'This Tollgate needs an access token (APP_TOKEN): open the link with ?token=….',
            );
            ws.close(CLOSE.unauthorized, 'token required');
            return;
          }
        }
        accept(ws, request);
      });
    },
    broadcast(message: ServerMessage) {
      const text = JSON.stringify(message);
      for (const socket of connections) send(socket, text);
    },
    connectionCount: () => connections.size,
    close() {
      clearInterval(heartbeat);
      for (const socket of connections) socket.terminate();
      wss.close();
    },
  };
}

export type WsGateway = ReturnType<typeof createWsGateway>;
