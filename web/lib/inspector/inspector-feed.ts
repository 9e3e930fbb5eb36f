import type { LogEntry } from '@tollgate/machines';
import {
  createLiveConnection,
  type LiveConnectionOptions,
  type ProtocolMessage,
} from '../live-connection.ts';
import type { TransportState } from '../transport-state.ts';

// The inspector's connection: one conversation's whole log, read-only. It speaks the chat page's
// protocol (docs/protocol.md) on the same `/ws`, with the same access and the same live connection
// (live-connection.ts), but only ever asks for the log (`subscribe` from what it has) and the
// conversation list (for the title): it sends no command, so inspecting can never change a
// conversation. Its state has the chat client's shape, so the page shows the connection with the
// chat's own status and banners.

/** Where the entries go: the log inspection, which ignores entries it already holds. */
export interface EntrySink {
  lastSeq(): number;
  append(entries: readonly LogEntry[]): void;
}

export interface InspectorFeedOptions extends LiveConnectionOptions {
  conversationId: string;
  log: EntrySink;
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

export function createInspectorFeed(options: InspectorFeedOptions): InspectorFeed {
  const { conversationId, log } = options;
  const entryListeners = new Set<() => void>();
  /** A gap was seen and the log asked for again; the catch-up has not finished. */
  let resyncing = false;

  const connection = createLiveConnection(options, {
    onOpen() {
      connection.send({ type: 'list_conversations' });
      subscribeToLog();
    },
    onMessage: handle,
    onClose() {
      resyncing = false;
    },
  });
  const { update } = connection;

  function announceEntries() {
    for (const listener of entryListeners) listener();
  }

  function subscribeToLog() {
    connection.send({ type: 'subscribe', conversationId, afterSeq: log.lastSeq() });
  }

  function receiveEntries(entries: LogEntry[]) {
    const newest = Math.max(...entries.map((entry) => entry.machineVersion));
    if (!connection.readsMachine(newest)) return;
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
      if (connection.getState().synced.length > 0) announceEntries();
    }
    if (end < fresh.length && !resyncing) {
      resyncing = true;
      subscribeToLog();
    }
  }

  function handle(message: ProtocolMessage) {
    switch (message.type) {
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
        const { conversations } = connection.getState();
        if (changed && conversations) {
          update({
            conversations: [changed, ...conversations.filter((item) => item.id !== conversationId)],
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

  return {
    getState: connection.getState,
    subscribe: connection.subscribe,
    onEntries(listener) {
      entryListeners.add(listener);
      return () => entryListeners.delete(listener);
    },
    start: connection.start,
    stop: connection.stop,
    reconnectNow: connection.reconnectNow,
    markOffline: connection.markOffline,
  };
}
