import {
  type Compatibility,
  compatibility,
  type LogEntry,
  PAGE_VERSIONS,
  type ServerMessage,
  serverMessageSchema,
  serverMessageVersionsSchema,
  type Versions,
} from '@tollgate/machines';
import { reconnectDelay } from '../reconnect-backoff.ts';
import type { SocketLike } from '../tollgate-client.ts';
import { initialTransportState, type TransportState } from '../transport-state.ts';

// The inspector's connection: one conversation's whole log, read-only. It speaks the chat page's
// protocol (docs/protocol.md) on the same `/ws`, with the same access, but only ever asks for the
// log (`subscribe` from what it has) and the conversation list (for the title): it sends no
// command, so inspecting can never change a conversation. Its state has the chat client's shape,
// so the page shows the connection with the chat's own status and banners.

/** Where the entries go: the log inspection, which ignores entries it already holds. */
export interface EntrySink {
  lastSeq(): number;
  append(entries: readonly LogEntry[]): void;
}

export interface InspectorFeedOptions {
  url: string;
  conversationId: string;
  log: EntrySink;
  createSocket?: (url: string) => SocketLike;
  random?: () => number;
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  isOnline?: () => boolean;
  versions?: Versions;
}

export interface InspectorFeed {
  getState(): TransportState;
  /** Connection changes (not entries). */
  subscribe(listener: () => void): () => void;
  /** Called after new entries reached the log. */
  onEntries(listener: () => void): () => void;
  start(): void;
  stop(): void;
  reconnectNow(): void;
  markOffline(): void;
}

const OPEN = 1;
/** Close codes after which reconnecting cannot help (docs/protocol.md). */
const REFUSED = new Set([4401, 4403]);
/** Failed attempts after which the page calls itself offline (it keeps retrying). */
const OFFLINE_AFTER = 4;

export function createInspectorFeed(options: InspectorFeedOptions): InspectorFeed {
  const { conversationId, log } = options;
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
  const entryListeners = new Set<() => void>();
  let socket: SocketLike | null = null;
  let timer: unknown = null;
  let stopped = false;
  /** The server's versions ruled this page out: nothing more is read or retried. */
  let halted = false;
  /** A gap was seen and the log asked for again; the catch-up has not finished. */
  let resyncing = false;

  function update(patch: Partial<TransportState>) {
    state = { ...state, ...patch };
    for (const listener of listeners) listener();
  }

  function announceEntries() {
    for (const listener of entryListeners) listener();
  }

  function transmit(message: unknown) {
    if (socket?.readyState === OPEN) socket.send(JSON.stringify(message));
  }

  function subscribeToLog() {
    transmit({ type: 'subscribe', conversationId, afterSeq: log.lastSeq() });
  }

  function halt(check: Exclude<Compatibility, { ok: true }>) {
    halted = true;
    if (timer !== null) clearTimer(timer);
    timer = null;
    const current = socket;
    socket = null;
    current?.close(1000, 'version mismatch');
    update({
      versionMismatch: { reason: check.reason, message: check.message, pageWorks: false },
      connection: 'offline',
      retryAt: null,
      synced: [],
    });
  }

  /** Whether the page can read what a server of these versions writes; halts if not. */
  function admit(versions: Versions): boolean {
    const check = compatibility(versions, page);
    if (check.ok) {
      if (state.versionMismatch !== null) update({ versionMismatch: null });
      return true;
    }
    if (!check.pageWorks) {
      halt(check);
      return false;
    }
    update({
      versionMismatch: { reason: check.reason, message: check.message, pageWorks: true },
    });
    return true;
  }

  function receiveEntries(entries: LogEntry[]) {
    const newest = Math.max(...entries.map((entry) => entry.machineVersion));
    if (
      newest > page.machineVersion &&
      !admit({ protocol: page.protocol, machineVersion: newest })
    ) {
      return;
    }
    const expected = log.lastSeq() + 1;
    const fresh = entries.filter(
      (entry) => entry.conversationId === conversationId && entry.seq >= expected,
    );
    // Only what continues the log is kept; after a gap the rest is asked for again, once.
    let end = 0;
    while (end < fresh.length && fresh[end]!.seq === expected + end) end += 1;
    if (end > 0) {
      log.append(fresh.slice(0, end));
      // A catch-up is announced once, when it is complete: drawing it page by page would cost
      // more than folding it.
      if (state.synced.length > 0) announceEntries();
    }
    if (end < fresh.length && !resyncing) {
      resyncing = true;
      subscribeToLog();
    }
  }

  function handle(message: ServerMessage) {
    switch (message.type) {
      case 'hello':
        update({
          claude: message.claude,
          tools: message.tools,
          mcpServers: message.mcpServers,
          failedAttempts: 0,
        });
        return;
      case 'tools':
        update({ tools: message.tools, mcpServers: message.mcpServers });
        return;
      case 'entries':
        receiveEntries(message.entries);
        return;
      case 'subscribed':
        if (message.conversationId !== conversationId) return;
        resyncing = false;
        update({ synced: [conversationId] });
        announceEntries();
        return;
      case 'conversations':
        update({ conversations: message.conversations });
        return;
      case 'conversations_updated': {
        const changed = message.conversations.find((item) => item.id === conversationId);
        if (changed && state.conversations) {
          update({
            conversations: [
              changed,
              ...state.conversations.filter((item) => item.id !== conversationId),
            ],
          });
        }
        return;
      }
      case 'conversation_created':
        return;
      case 'error':
        if (message.code === 'unknown_conversation' && message.conversationId === conversationId) {
          update({ missing: [conversationId] });
        } else if (message.code === 'unauthorized' || message.code === 'forbidden_origin') {
          update({ refusal: message.message });
        }
        return;
    }
  }

  function onMessage(data: unknown) {
    let json: unknown;
    try {
      json = JSON.parse(String(data));
    } catch {
      return;
    }
    // A hello's versions first: a newer server's hello need not fit this page's schema to be
    // read. Other messages are read for their versions only if they do not fit (a catch-up's
    // thousands of entries are not walked twice).
    const isHello = (json as { type?: unknown } | undefined)?.type === 'hello';
    const hello = isHello ? serverMessageVersionsSchema.safeParse(json) : null;
    if (hello?.success && hello.data.type === 'hello' && !admit(hello.data)) return;
    const parsed = serverMessageSchema.safeParse(json);
    if (parsed.success) {
      handle(parsed.data);
      return;
    }
    // An entry of a newer machine may carry an event this page has no schema for.
    const versions = serverMessageVersionsSchema.safeParse(json);
    if (versions.success && versions.data.type === 'entries') {
      const newest = Math.max(...versions.data.entries.map((entry) => entry.machineVersion));
      admit({ protocol: page.protocol, machineVersion: newest });
    }
  }

  function connect() {
    timer = null;
    if (stopped || halted) return;
    update({
      connection:
        state.failedAttempts === 0
          ? 'connecting'
          : state.failedAttempts <= OFFLINE_AFTER && isOnline()
            ? 'reconnecting'
            : 'offline',
      retryAt: null,
    });
    const current = createSocket(options.url);
    socket = current;
    current.onopen = () => {
      if (socket !== current) return;
      update({ connection: 'connected', retryAt: null, synced: [], missing: [] });
      transmit({ type: 'list_conversations' });
      subscribeToLog();
    };
    current.onmessage = (event) => {
      if (socket === current) onMessage(event.data);
    };
    current.onerror = () => undefined;
    current.onclose = (event) => {
      if (socket !== current) return;
      socket = null;
      resyncing = false;
      if (stopped) return;
      if (REFUSED.has(event.code)) {
        update({
          connection: 'offline',
          synced: [],
          refusal: state.refusal ?? (event.reason || `closed with ${event.code}`),
        });
        return;
      }
      const delay = reconnectDelay(state.failedAttempts, random);
      update({
        connection: isOnline() && state.failedAttempts < OFFLINE_AFTER ? 'reconnecting' : 'offline',
        failedAttempts: state.failedAttempts + 1,
        retryAt: now() + delay,
        synced: [],
      });
      timer = setTimer(connect, delay);
    };
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onEntries(listener) {
      entryListeners.add(listener);
      return () => entryListeners.delete(listener);
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
  };
}
