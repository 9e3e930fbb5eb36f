import {
  type ClientMessage,
  clientMessageSchema,
  type ErrorCode,
  MACHINE_VERSION,
  type ServerMessage,
  type ToolGrantInfo,
} from '@tollgate/machines';
import type { Subscriber } from '../conversations/conversation-runtime.ts';
import { ownerOf, type Person } from '../http/access-person.ts';
import type { Logger } from '../logger.ts';
import type { Owner } from '../store/conversation-index.ts';
import type { SearchAnswer } from '../store/conversation-search.ts';
import { CLOSE, type GatewayLimits } from './gateway-limits.ts';
import type { GatewayRegistry } from './gateway-registry.ts';
import type { GatewayFrame, GatewaySocket } from './gateway-socket.ts';
import type { HandlingSlices } from './handling-slices.ts';
import { type RefusalContext, refusalContext } from './refusal-context.ts';
import { sendGuarded } from './send-guarded.ts';
import { createTokenBucket } from './token-bucket.ts';

export interface ConnectionDeps {
  registry: GatewayRegistry;
  logger: Logger;
  limits: GatewayLimits;
  clock: () => number;
  /** Who is on the other end (http/access-gate.ts): a person a proxy named, or the single owner. */
  person: Person | null;
  hello: (person: Person | null) => ServerMessage;
  /** The owner's conversations only. */
  listConversations: (owner: Owner) => Promise<ServerMessage>;
  createConversation: (requestId: string, owner: Owner) => Promise<ServerMessage>;
  /**
   * Tries an MCP server again now (mcp-hub.ts); false when no server has that name. Any
   * connection may: the servers are the instance's, shared by everyone with access.
   */
  restartMcpServer: (server: string) => boolean;
  /**
   * Deletes one of the owner's conversations for good; false when the owner has no such
   * conversation. Every tab of the owner hears of it as `conversation_deleted`.
   */
  deleteConversation: (conversationId: string, owner: Owner) => Promise<boolean>;
  /** Searches the owner's conversations (ConversationIndex.search). */
  searchConversations: (owner: Owner, query: string) => Promise<SearchAnswer>;
  /** The owner's "Always allow everywhere" grants (store/tool-grants.ts); none without it. */
  grants?: GatewayGrants;
  /** When each message's handling may start: shared by all connections (handling-slices.ts). */
  slices: HandlingSlices;
}

/** The Policies panel's side of the gateway: the owner's grants, listed and revoked. */
export interface GatewayGrants {
  list(owner: Owner): Promise<ToolGrantInfo[]>;
  /** False when the owner has no grant by that id; on success every tab of theirs hears `grants`. */
  revoke(owner: Owner, grantId: string): Promise<boolean>;
}

/** JSON.parse never yields undefined, so undefined can mean "not JSON". */
function parseJson(frame: GatewayFrame): unknown {
  if (frame.isBinary) return undefined;
  try {
    return JSON.parse(frame.text());
  } catch {
    return undefined;
  }
}

/**
 * One connection, already authorised: it validates every message against the shared schemas,
 * hands commands to the conversation's runtime and forwards what the runtime's log broadcasts.
 * Every refusal is an `error` message with a code; nothing a client sends can throw past it. It
 * lists, creates and reaches only its owner's conversations.
 */
export function openGatewayConnection(socket: GatewaySocket, deps: ConnectionDeps) {
  const { limits, registry } = deps;
  const owner = ownerOf(deps.person);
  const watching = new Set<string>();
  const bucket = createTokenBucket(limits.messagesPerSecond, limits.burst, deps.clock);
  // Bytes of the catch-up this client asked for and may still be reading; forgotten once what
  // waits for it is back under the limit. One at a time: a client that asks for another while it
  // has not read the last one is too slow (or worse) and is cut loose.
  let catchUpBytes = 0;
  // The messages being handled, in order (handle() awaits the store).
  let turn: Promise<void> = Promise.resolve();
  const send = (message: ServerMessage | string) => {
    if (catchUpBytes > 0 && socket.bufferedAmount <= limits.maxBufferedBytes) catchUpBytes = 0;
    sendGuarded(socket, message, limits.maxBufferedBytes, catchUpBytes);
  };
  const subscriber: Subscriber = { deliver: send };
  /** A catch-up goes out whole, whatever its size: the client asked for exactly this. */
  const catchUp: Subscriber = {
    deliver(message) {
      if (!socket.isOpen) return;
      catchUpBytes += Buffer.byteLength(message);
      socket.send(message);
    },
  };

  function error(code: ErrorCode, message: string, about: RefusalContext = {}) {
    send({ type: 'error', code, message, ...about });
  }

  /**
   * The conversation's runtime, or null after telling the client there is no such conversation:
   * another owner's gets the very same answer as a missing one.
   */
  async function runtimeOr404(conversationId: string, commandId?: string) {
    const runtime = await registry.get(conversationId, owner);
    if (!runtime) {
      error('unknown_conversation', `There is no conversation ${conversationId}.`, {
        conversationId,
        ...(commandId ? { commandId } : {}),
      });
    }
    return runtime;
  }

  async function handle(message: ClientMessage) {
    switch (message.type) {
      case 'list_conversations':
        send(await deps.listConversations(owner));
        return;
      case 'create_conversation':
        send(await deps.createConversation(message.requestId, owner));
        return;
      case 'subscribe': {
        const { conversationId } = message;
        const runtime = await runtimeOr404(conversationId);
        if (!runtime || !socket.isOpen) return;
        if (socket.bufferedAmount > limits.maxBufferedBytes) {
          socket.close(CLOSE.slowConsumer, 'too slow: reconnect and resume');
          return;
        }
        catchUpBytes = 0;
        runtime.unsubscribe(subscriber);
        watching.add(conversationId);
        await runtime.subscribe(subscriber, message.afterSeq, {
          catchUp,
          // A checkpoint has its machine's shape: only a page of this one can read it.
          checkpoint: message.checkpoint === MACHINE_VERSION,
          // After the catch-up, before the first live entry.
          subscribed: (lastSeq) => send({ type: 'subscribed', conversationId, lastSeq }),
        });
        return;
      }
      case 'unsubscribe':
        registry.unsubscribe(message.conversationId, subscriber);
        watching.delete(message.conversationId);
        return;
      case 'command': {
        const runtime = await runtimeOr404(message.conversationId, message.command.commandId);
        if (!runtime) return;
        const outcome = await runtime.command(message.command);
        if (outcome.status === 'rejected') {
          error('command_rejected', outcome.message, {
            conversationId: message.conversationId,
            commandId: message.command.commandId,
          });
        }
        return;
      }
      case 'delete_conversation':
        // Announced to every tab of the owner (this one too) once the store has purged it.
        if (!(await deps.deleteConversation(message.conversationId, owner))) {
          error('unknown_conversation', `There is no conversation ${message.conversationId}.`, {
            conversationId: message.conversationId,
          });
        }
        return;
      case 'search_conversations':
        send({
          type: 'search_results',
          requestId: message.requestId,
          query: message.query,
          ...(await deps.searchConversations(owner, message.query)),
        });
        return;
      case 'list_grants':
        send({ type: 'grants', grants: (await deps.grants?.list(owner)) ?? [] });
        return;
      case 'revoke_grant':
        if (!(await deps.grants?.revoke(owner, message.grantId))) {
          error('unknown_grant', `There is no grant ${message.grantId} to revoke.`);
        }
        return;
      case 'restart_mcp_server':
        // Its new state reaches every connection, this one included, as `tools`.
        if (!deps.restartMcpServer(message.server)) {
          error('unknown_mcp_server', `There is no MCP server named ${message.server}.`);
        } else {
          deps.logger.info({ mcpServer: message.server }, 'MCP server restart asked for');
        }
        return;
    }
  }

  /**
   * Runs `work` after everything queued before it: messages are answered in the order they
   * came (a command sent right after a subscribe is handled once the subscription is in place,
   * and a refusal is never sent before the answer to an earlier message). Then it waits for its
   * slice of the event loop, which all connections share (handling-slices.ts).
   */
  function inTurn(work: () => void | Promise<void>, about: RefusalContext = {}) {
    turn = turn
      .then(() => {
        const placed = deps.slices.place();
        // Not handled at all when the gateway closed while it waited.
        return placed ? placed.then((go) => (go ? work() : undefined)) : work();
      })
      .catch((failure: unknown) => {
        deps.logger.error({ err: failure }, 'message handling failed');
        error(
          'internal',
          'Something went wrong on the server; the message was not applied.',
          about,
        );
      });
  }

  /**
   * Judges a frame as it arrives (size, JSON, rate, schema), so a flood costs nothing more than
   * that: only a valid message is kept until its turn. Returns the refusal to send, or the
   * message to handle.
   */
  function judge(
    frame: GatewayFrame,
  ):
    | { message: ClientMessage; about: RefusalContext }
    | { refusal: [ErrorCode, string]; about: RefusalContext } {
    // First, before anything decodes or parses it: an oversized message costs nothing more. Its
    // error cannot name a command or conversation, since nothing of it was read.
    if (frame.byteLength > limits.maxMessageBytes) {
      return {
        refusal: ['too_large', `Messages are limited to ${limits.maxMessageBytes} bytes.`],
        about: {},
      };
    }
    const json = parseJson(frame);
    if (json === undefined)
      return { refusal: ['bad_json', 'That message is not JSON.'], about: {} };
    // Which command a refusal is about, when it can be read: a tab waiting for that command
    // must learn it was refused, or it would resend it forever.
    const about = refusalContext(json);
    if (!bucket.take()) {
      return { refusal: ['rate_limited', 'Too many messages; slow down.'], about };
    }
    const parsed = clientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        refusal: [
          'bad_message',
          `That message is not one Tollgate understands: ${issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid'}.`,
        ],
        about,
      };
    }
    return { message: parsed.data, about };
  }

  socket.onMessage((frame) => {
    let judged: ReturnType<typeof judge>;
    try {
      judged = judge(frame);
    } catch (failure) {
      inTurn(() => {
        throw failure;
      });
      return;
    }
    const { about } = judged;
    if ('refusal' in judged) {
      const [code, text] = judged.refusal;
      inTurn(() => error(code, text, about));
      return;
    }
    const { message } = judged;
    inTurn(() => handle(message), about);
  });
  socket.onClose(() => {
    // After what is under way (a subscription being set up is undone too).
    turn = turn.then(() => {
      for (const id of watching) registry.unsubscribe(id, subscriber);
    });
  });
  send(deps.hello(deps.person));
  return { send, owner };
}
