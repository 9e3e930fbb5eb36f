import {
  type CommandInput,
  type ConversationMirror,
  type ConversationSummary,
  createConversationMirror,
  type LogEntry,
  MAX_CLIENT_MESSAGE_BYTES,
  type SearchResult,
  type UpcasterTable,
} from '@tollgate/machines';
import { withConversations } from './conversation-list-order.ts';
import { browserFrames, type FrameScheduler } from './frame-batched.ts';
import {
  createLiveConnection,
  type LiveConnectionOptions,
  type ProtocolMessage,
} from './live-connection.ts';
import { newId } from './new-id.ts';
import type { ServerNotice, TransportState } from './transport-state.ts';

export type { SocketLike } from './live-connection.ts';

// The page's connection to the server, free of any UI framework: over one live connection
// (live-connection.ts: reconnecting with backoff, stopping before a server whose versions this page
// cannot follow, until a person reloads it), it folds each conversation's log entries into a
// mirror of the conversation machine, and sends commands. It never changes a conversation's state
// itself: a command only shows once the server's log says it happened.

/** A command as the page makes it; the client adds the idempotency key. */
export type CommandRequest = CommandInput extends infer C
  ? C extends CommandInput
    ? Omit<C, 'commandId'>
    : never
  : never;

export interface TollgateClientOptions extends LiveConnectionOptions {
  /** This page's upcasters to its machine; tests set them to play a server rollback. */
  upcasters?: UpcasterTable;
  /** The frames that fold a tool's chunks (`settleAfterMessage`); tests run them by hand. */
  frames?: FrameScheduler;
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
  /**
   * Asks the server to try an MCP server again now; false if not connected (nothing is queued:
   * a restart asked for later would surprise). Its new state arrives with the next `tools`.
   */
  restartMcpServer(server: string): boolean;
  /**
   * Revokes one of the person's "Always allow everywhere" grants; false if not connected. Every
   * tab of theirs then gets the grants anew (`grants`).
   */
  revokeGrant(grantId: string): boolean;
  dismissNotice(id: number): void;
  /** Names the conversation: a command like any other, in its log (`conversation.renamed`). */
  renameConversation(conversationId: string, title: string): string;
  /**
   * Asks the server to delete a conversation for good; false if not connected. Every tab hears
   * of it (`conversation_deleted`): the list drops it, and a tab showing it leaves it.
   */
  deleteConversation(conversationId: string): boolean;
  /** Searches the person's conversations; rejects when not connected. */
  searchConversations(query: string): Promise<SearchAnswer>;
}

/** What a search answers (the server's `search_results`). */
export interface SearchAnswer {
  query: string;
  results: SearchResult[];
  truncated: boolean;
}

const MAX_NOTICES = 5;

interface PendingCommand {
  conversationId: string;
  command: CommandInput;
}

export function createTollgateClient(options: TollgateClientOptions): TollgateClient {
  const mirrors = new Map<string, ConversationMirror>();
  const pending = new Map<string, PendingCommand>();
  const creations = new Map<string, (conversation: ConversationSummary) => void>();
  /** Searches sent and not yet answered; a lost connection fails them. */
  const searches = new Map<
    string,
    { resolve: (answer: SearchAnswer) => void; reject: (error: Error) => void }
  >();
  let followed: string | null = null;
  let noticeIds = 0;
  /** Conversations resubscribed after a gap, whose catch-up has not finished. */
  const resyncing = new Set<string>();
  const frames = options.frames ?? browserFrames;
  /** Mirrors holding a run of a tool's chunks, folded at the next frame. */
  const settlingAtFrame = new Set<ConversationMirror>();

  const connection = createLiveConnection(options, {
    onOpen() {
      transmit({ type: 'list_conversations' });
      // The grants decide calls without a dialog: the page must know them before one opens.
      transmit({ type: 'list_grants' });
      if (followed !== null) subscribeTo(followed);
    },
    onMessage: handle,
    onHello: (hello) => ({
      person: hello.person,
      canSignOut: hello.canSignOut,
      claudeOptions: hello.claudeOptions,
    }),
    onUnreadable() {
      notice({
        code: 'bad_server_message',
        message: 'The server sent a message this page does not understand; it was ignored.',
        conversationId: null,
        commandId: null,
      });
    },
    onClose() {
      resyncing.clear();
      for (const search of searches.values()) search.reject(new Error('Disconnected.'));
      searches.clear();
    },
    onHalt() {
      pending.clear();
      resyncing.clear();
      return { failedAttempts: 0, pendingCommandIds: [] };
    },
  });
  const { update, send: transmit } = connection;

  function pendingIds() {
    return [...pending.keys()];
  }

  function notice(item: Omit<ServerNotice, 'id'>) {
    noticeIds += 1;
    update({
      notices: [...connection.getState().notices, { ...item, id: noticeIds }].slice(-MAX_NOTICES),
    });
  }

  /**
   * Asks for a conversation's entries after what the mirror has. When it has none, a checkpoint
   * of the page's machine may stand in for most of them (a long conversation opens without
   * folding its whole log); a mirror that holds the conversation takes only what it lacks, its
   * items unchanged. Never while a command of this page waits: only its entry settles it, and a
   * checkpoint would fold that away.
   */
  function subscribeTo(conversationId: string, { checkpoint = true } = {}) {
    const afterSeq = mirrors.get(conversationId)?.lastSeq() ?? 0;
    const takesCheckpoint =
      checkpoint &&
      afterSeq === 0 &&
      ![...pending.values()].some((item) => item.conversationId === conversationId);
    transmit({
      type: 'subscribe',
      conversationId,
      afterSeq,
      ...(takesCheckpoint ? { checkpoint: connection.versions.machineVersion } : {}),
    });
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

  /**
   * Folds what a message left held in `mirror`. A run of text deltas is folded now: the live tail
   * writes their text into the page in this task. A run of a tool's chunks waits for the next
   * frame, which draws the file panel anyway: the chunks that arrive until then, each in a message
   * of its own, join the run, so the machine runs once a frame instead of once a chunk.
   */
  function settleAfterMessage(mirror: ConversationMirror) {
    if (mirror.holding() !== 'tool.chunk') {
      mirror.settle();
      return;
    }
    if (settlingAtFrame.has(mirror)) return;
    settlingAtFrame.add(mirror);
    frames.request(() => {
      settlingAtFrame.delete(mirror);
      mirror.settle();
    });
  }

  function receiveEntry(entry: LogEntry) {
    const mirror = mirrors.get(entry.conversationId);
    if (!mirror) return;
    // The message's runs of deltas are folded as one each (settleAfterMessage).
    const receipt = mirror.receive(entry, { hold: true });
    if (receipt === 'newer') {
      // An entry of a newer machine than the page's: its meaning is unknown here.
      connection.readsMachine(entry.machineVersion);
      return;
    }
    if (receipt === 'gap' && !resyncing.has(entry.conversationId)) {
      // Something was lost between here and the server: ask again from what we have, once.
      resyncing.add(entry.conversationId);
      subscribeTo(entry.conversationId);
    }
    if (receipt === 'applied' && 'commandId' in entry.event) settle(entry.event.commandId);
  }

  function handle(message: ProtocolMessage) {
    const state = connection.getState();
    switch (message.type) {
      case 'entries':
        try {
          for (const entry of message.entries) {
            receiveEntry(entry);
            if (connection.isHalted()) return;
          }
        } finally {
          for (const id of new Set(message.entries.map((entry) => entry.conversationId))) {
            const mirror = mirrors.get(id);
            if (mirror) settleAfterMessage(mirror);
          }
        }
        return;
      case 'checkpoint': {
        const id = message.conversationId;
        const receipt = mirrors.get(id)?.restore(message);
        if (receipt === 'newer') connection.readsMachine(message.machineVersion);
        if (receipt === 'other_version') {
          // The server sends none of another machine; if one came, the entries it stands for
          // can be read here: ask for those instead.
          resyncing.add(id);
          subscribeTo(id, { checkpoint: false });
        }
        return;
      }
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
      case 'conversation_deleted': {
        const id = message.conversationId;
        mirrors.delete(id);
        for (const [commandId, item] of pending) {
          if (item.conversationId === id) pending.delete(commandId);
        }
        update({
          conversations:
            state.conversations?.filter((conversation) => conversation.id !== id) ?? null,
          deleted: state.deleted.includes(id) ? state.deleted : [...state.deleted, id],
          pendingCommandIds: pendingIds(),
        });
        return;
      }
      case 'grants':
        update({ grants: message.grants });
        return;
      case 'search_results': {
        const { query, results, truncated } = message;
        searches.get(message.requestId)?.resolve({ query, results, truncated });
        searches.delete(message.requestId);
        return;
      }
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
          update({ missing: [...connection.getState().missing, message.conversationId] });
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

  function mirrorOf(conversationId: string): ConversationMirror {
    let mirror = mirrors.get(conversationId);
    if (!mirror) {
      mirror = createConversationMirror({
        machineVersion: connection.versions.machineVersion,
        ...(options.upcasters ? { upcasters: options.upcasters } : {}),
      });
      mirrors.set(conversationId, mirror);
    }
    return mirror;
  }

  const client: TollgateClient = {
    getState: connection.getState,
    subscribe: connection.subscribe,
    start: connection.start,
    stop: connection.stop,
    reconnectNow: connection.reconnectNow,
    markOffline: connection.markOffline,
    mirror: mirrorOf,
    follow(conversationId) {
      if (conversationId === followed) return;
      if (followed !== null) {
        transmit({ type: 'unsubscribe', conversationId: followed });
        const { synced } = connection.getState();
        update({ synced: synced.filter((id) => id !== followed) });
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
      if (connection.isHalted()) return commandId;
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
      if (connection.getState().synced.includes(conversationId)) {
        transmit({ type: 'command', conversationId, command });
      }
      return commandId;
    },
    renameConversation(conversationId, title) {
      return client.send(conversationId, { type: 'conversation.renamed', title: title.trim() });
    },
    deleteConversation(conversationId) {
      if (connection.isHalted()) return false;
      return transmit({ type: 'delete_conversation', conversationId, requestId: newId() });
    },
    searchConversations(query) {
      const requestId = newId();
      return new Promise((resolve, reject) => {
        if (
          connection.isHalted() ||
          !transmit({ type: 'search_conversations', query, requestId })
        ) {
          reject(new Error('Not connected.'));
          return;
        }
        searches.set(requestId, { resolve, reject });
      });
    },
    restartMcpServer(server) {
      if (connection.isHalted()) return false;
      return transmit({ type: 'restart_mcp_server', server });
    },
    revokeGrant(grantId) {
      if (connection.isHalted()) return false;
      return transmit({ type: 'revoke_grant', grantId });
    },
    dismissNotice(id) {
      update({ notices: connection.getState().notices.filter((item) => item.id !== id) });
    },
  };
  return client;
}
