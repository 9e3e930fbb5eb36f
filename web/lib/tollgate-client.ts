import {
  type CommandInput,
  type Compatibility,
  type ConversationMirror,
  type ConversationSummary,
  compatibility,
  createConversationMirror,
  type LogEntry,
  MAX_CLIENT_MESSAGE_BYTES,
  PAGE_VERSIONS,
  type ServerMessage,
  serverMessageSchema,
  serverMessageVersionsSchema,
  type UpcasterTable,
  type Versions,
} from '@tollgate/machines';
import { withConversations } from './conversation-list-order.ts';
import { newId } from './new-id.ts';
import { reconnectDelay } from './reconnect-backoff.ts';
import {
  type ConnectionStatus,
  initialTransportState,
  type ServerNotice,
  type TransportState,
  type VersionMismatch,
} from './transport-state.ts';

// The page's connection to the server, free of any UI framework: it keeps one WebSocket open
// (reconnecting with backoff), folds each conversation's log entries into a mirror of the
// conversation machine, and sends commands. It never changes a conversation's state itself: a
// command only shows once the server's log says it happened. A server whose versions this page
// cannot follow (a newer protocol or machine) stops it for good, until a person reloads it.

/** A command as the page makes it; the client adds the idempotency key. */
export type CommandRequest = CommandInput extends infer C
  ? C extends CommandInput
    ? Omit<C, 'commandId'>
    : never
  : never;

/** The slice of the WebSocket API the client uses, so tests can hand it a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface TollgateClientOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  random?: () => number;
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  /** Whether the device has a network; the browser's navigator.onLine. */
  isOnline?: () => boolean;
  /**
   * This page's protocol and machine versions, and its upcasters to that machine; tests set them
   * to play a server rollback.
   */
  versions?: Versions;
  upcasters?: UpcasterTable;
}

export interface TollgateClient {
  getState(): TransportState;
  subscribe(listener: () => void): () => void;
  /** Opens the connection; call once. */
  start(): void;
  /** Closes for good (the page is going away). */
  stop(): void;
  /** Skips the backoff wait: try now (a person pressed Retry, or the network came back). */
  reconnectNow(): void;
  /** The device lost its network: say so at once rather than when the socket times out. */
  markOffline(): void;
  /** The mirror of a conversation, created empty the first time. */
  mirror(conversationId: string): ConversationMirror;
  /** Follows one conversation (its live entries), or none. */
  follow(conversationId: string | null): void;
  createConversation(): Promise<ConversationSummary>;
  /**
   * Sends a command; resent with the same id after a reconnect until the log shows it. Once the
   * page has stopped over a version mismatch, nothing is sent.
   */
  send(conversationId: string, command: CommandRequest): string;
  dismissNotice(id: number): void;
}

const OPEN = 1;
/** Close codes after which reconnecting cannot help (see docs/protocol.md). */
const REFUSED = new Set([4401, 4403]);
const MAX_NOTICES = 5;
/** Failed attempts after which the page calls itself offline (it keeps retrying). */
const OFFLINE_AFTER = 4;

interface PendingCommand {
  conversationId: string;
  command: CommandInput;
}

export function createTollgateClient(options: TollgateClientOptions): TollgateClient {
  const createSocket =
    options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as number));
  const isOnline = options.isOnline ?? (() => true);
  const page = options.versions ?? PAGE_VERSIONS;

  let state = initialTransportState;
  const listeners = new Set<() => void>();
  const mirrors = new Map<string, ConversationMirror>();
  const pending = new Map<string, PendingCommand>();
  const creations = new Map<string, (conversation: ConversationSummary) => void>();
  let followed: string | null = null;
  let socket: SocketLike | null = null;
  let timer: unknown = null;
  let stopped = false;
  /** The server's versions ruled this page out: nothing is folded, sent or retried any more. */
  let halted = false;
  let noticeIds = 0;
  /** Conversations resubscribed after a gap, whose catch-up has not finished. */
  const resyncing = new Set<string>();

  function update(patch: Partial<TransportState>) {
    state = { ...state, ...patch };
    for (const listener of listeners) listener();
  }

  function pendingIds() {
    return [...pending.keys()];
  }

  function notice(item: Omit<ServerNotice, 'id'>) {
    noticeIds += 1;
    update({ notices: [...state.notices, { ...item, id: noticeIds }].slice(-MAX_NOTICES) });
  }

  function transmit(message: unknown): boolean {
    if (socket?.readyState !== OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  function subscribeTo(conversationId: string) {
    const afterSeq = mirrors.get(conversationId)?.lastSeq() ?? 0;
    transmit({ type: 'subscribe', conversationId, afterSeq });
  }

  /** Commands still unconfirmed for a conversation go out again, under their first ids. */
  function flush(conversationId: string) {
    for (const item of pending.values()) {
      if (item.conversationId === conversationId) {
        transmit({ type: 'command', conversationId, command: item.command });
      }
    }
  }

  function settle(commandId: string | undefined) {
    if (commandId !== undefined && pending.delete(commandId)) {
      update({ pendingCommandIds: pendingIds() });
    }
  }

  function mismatchOf(check: Exclude<Compatibility, { ok: true }>): VersionMismatch {
    return { reason: check.reason, message: check.message, pageWorks: check.pageWorks };
  }

  /**
   * Stops for good: folding entries of a machine it does not know, or speaking a protocol the
   * server does not, would show a wrong state; reconnecting would meet the same server.
   */
  function halt(mismatch: VersionMismatch) {
    halted = true;
    if (timer !== null) clearTimer(timer);
    timer = null;
    const current = socket;
    socket = null;
    current?.close(1000, 'version mismatch');
    pending.clear();
    resyncing.clear();
    update({
      versionMismatch: mismatch,
      connection: 'offline',
      retryAt: null,
      failedAttempts: 0,
      synced: [],
      pendingCommandIds: [],
    });
  }

  /** Checks the versions a hello announces; false when the page has halted. */
  function admitHello(versions: Versions): boolean {
    const check = compatibility(versions, page);
    if (check.ok) {
      // The server may be back on the page's versions after a rollback.
      if (state.versionMismatch !== null) update({ versionMismatch: null });
      return true;
    }
    if (!check.pageWorks) {
      halt(mismatchOf(check));
      return false;
    }
    update({ versionMismatch: mismatchOf(check) });
    return true;
  }

  /** An entry of a newer machine than the page's: its meaning is unknown here. */
  function refuseNewerEntry(machineVersion: number) {
    const check = compatibility({ protocol: page.protocol, machineVersion }, page);
    if (!check.ok) halt(mismatchOf(check));
  }

  function receiveEntry(entry: LogEntry) {
    const mirror = mirrors.get(entry.conversationId);
    if (!mirror) return;
    const receipt = mirror.receive(entry);
    if (receipt === 'newer') {
      refuseNewerEntry(entry.machineVersion);
      return;
    }
    if (receipt === 'gap' && !resyncing.has(entry.conversationId)) {
      // Something was lost between here and the server: ask again from what we have, once.
      resyncing.add(entry.conversationId);
      subscribeTo(entry.conversationId);
    }
    if (receipt === 'applied' && 'commandId' in entry.event) settle(entry.event.commandId);
  }

  function handle(message: ServerMessage) {
    switch (message.type) {
      case 'hello':
        update({
          claude: message.claude,
          person: message.person,
          canSignOut: message.canSignOut,
          tools: message.tools,
          mcpServers: message.mcpServers,
          failedAttempts: 0,
        });
        return;
      case 'tools':
        update({ tools: message.tools, mcpServers: message.mcpServers });
        return;
      case 'entries':
        for (const entry of message.entries) {
          receiveEntry(entry);
          if (halted) return;
        }
        return;
      case 'subscribed': {
        const id = message.conversationId;
        resyncing.delete(id);
        if (!state.synced.includes(id)) update({ synced: [...state.synced, id] });
        flush(id);
        return;
      }
      case 'conversations':
        update({ conversations: message.conversations });
        return;
      case 'conversations_updated':
        // Before the list has arrived there is nothing to update: the list will include them.
        if (state.conversations) {
          update({
            conversations: withConversations(state.conversations, message.conversations),
          });
        }
        return;
      case 'conversation_created': {
        const { conversation } = message;
        update({ conversations: withConversations(state.conversations ?? [], [conversation]) });
        creations.get(message.requestId)?.(conversation);
        creations.delete(message.requestId);
        return;
      }
      case 'error': {
        settle(message.commandId);
        if (message.code === 'unknown_conversation' && message.conversationId) {
          update({ missing: [...state.missing, message.conversationId] });
          return;
        }
        if (message.code === 'unauthorized' || message.code === 'forbidden_origin') {
          update({ refusal: message.message });
          return;
        }
        notice({
          code: message.code,
          message: message.message,
          conversationId: message.conversationId ?? null,
          commandId: message.commandId ?? null,
        });
        return;
      }
    }
  }

  function onMessage(data: unknown) {
    let json: unknown;
    try {
      json = JSON.parse(String(data));
    } catch {
      json = undefined;
    }
    // The versions first: a newer server's hello need not fit this page's schema to be read.
    const versions = serverMessageVersionsSchema.safeParse(json);
    if (versions.success && versions.data.type === 'hello' && !admitHello(versions.data)) return;
    const parsed = serverMessageSchema.safeParse(json);
    if (!parsed.success) {
      // An entry of a newer machine may carry an event this page has no schema for.
      if (versions.success && versions.data.type === 'entries') {
        const newest = Math.max(...versions.data.entries.map((entry) => entry.machineVersion));
        if (newest > page.machineVersion) {
          refuseNewerEntry(newest);
          return;
        }
      }
      notice({
        code: 'bad_server_message',
        message: 'The server sent a message this page does not understand; it was ignored.',
        conversationId: null,
        commandId: null,
      });
      return;
    }
    handle(parsed.data);
  }

  function connect() {
    timer = null;
    if (stopped || halted) return;
    const status: ConnectionStatus =
      state.failedAttempts === 0
        ? 'connecting'
        : state.failedAttempts <= OFFLINE_AFTER && isOnline()
          ? 'reconnecting'
          : 'offline';
    update({ connection: status, retryAt: null });
    const current = createSocket(options.url);
    socket = current;
    current.onopen = () => {
      if (socket !== current) return;
      update({ connection: 'connected', retryAt: null, synced: [], missing: [] });
      transmit({ type: 'list_conversations' });
      if (followed !== null) subscribeTo(followed);
    };
    current.onmessage = (event) => {
      if (socket === current) onMessage(event.data);
    };
    current.onerror = () => undefined;
    current.onclose = (event) => {
      if (socket !== current) return;
      socket = null;
      resyncing.clear();
      if (stopped) return;
      if (REFUSED.has(event.code)) {
        update({
          connection: 'offline',
          synced: [],
          refusal: state.refusal ?? (event.reason || `closed with ${event.code}`),
        });
        return;
      }
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    const delay = reconnectDelay(state.failedAttempts, random);
    update({
      // After a few misses the server is probably down, not just restarting: say so plainly.
      connection: isOnline() && state.failedAttempts < OFFLINE_AFTER ? 'reconnecting' : 'offline',
      failedAttempts: state.failedAttempts + 1,
      retryAt: now() + delay,
      synced: [],
    });
    timer = setTimer(connect, delay);
  }

  function mirrorOf(conversationId: string): ConversationMirror {
    let mirror = mirrors.get(conversationId);
    if (!mirror) {
      mirror = createConversationMirror({
        machineVersion: page.machineVersion,
        ...(options.upcasters ? { upcasters: options.upcasters } : {}),
      });
      mirrors.set(conversationId, mirror);
    }
    return mirror;
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      if (socket === null && timer === null) connect();
    },
    stop() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
      const current = socket;
      socket = null;
      current?.close(1000, 'page closed');
    },
    reconnectNow() {
      if (stopped || halted || socket !== null || state.refusal !== null) return;
      if (timer !== null) clearTimer(timer);
      connect();
    },
    markOffline() {
      if (state.connection !== 'connected') update({ connection: 'offline' });
    },
    mirror: mirrorOf,
    follow(conversationId) {
      if (conversationId === followed) return;
      if (followed !== null) {
        transmit({ type: 'unsubscribe', conversationId: followed });
        update({ synced: state.synced.filter((id) => id !== followed) });
      }
      followed = conversationId;
      if (conversationId !== null) {
        mirrorOf(conversationId);
        subscribeTo(conversationId);
      }
    },
    createConversation() {
      const requestId = newId();
      return new Promise((resolve, reject) => {
        if (!transmit({ type: 'create_conversation', requestId })) {
          reject(new Error('Not connected.'));
          return;
        }
        creations.set(requestId, resolve);
      });
    },
    send(conversationId, request) {
      const commandId = newId();
      // A halted page sends nothing: the server might read the command differently.
      if (halted) return commandId;
      const command = { ...request, commandId } as CommandInput;
      // The server would refuse it unread, without naming it: say so here and never send it.
      const bytes = new TextEncoder().encode(
        JSON.stringify({ type: 'command', conversationId, command }),
      ).length;
      if (bytes > MAX_CLIENT_MESSAGE_BYTES) {
        notice({
          code: 'too_large',
          message: `This is too large to send: ${Math.ceil(bytes / 1024)} KiB, where the limit is ${MAX_CLIENT_MESSAGE_BYTES / 1024} KiB.`,
          conversationId,
          commandId,
        });
        return commandId;
      }
      pending.set(commandId, { conversationId, command });
      update({ pendingCommandIds: pendingIds() });
      // Before the catch-up is complete the command waits, so a resend can be recognised.
      if (state.synced.includes(conversationId)) {
        transmit({ type: 'command', conversationId, command });
      }
      return commandId;
    },
    dismissNotice(id) {
      update({ notices: state.notices.filter((item) => item.id !== id) });
    },
  };
}
