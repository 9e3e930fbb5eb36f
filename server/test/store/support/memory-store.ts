import { type LogEntry, MACHINE_VERSION, MAX_SEARCH_RESULTS } from '@tollgate/machines';
import { checkAppend } from '../../../src/store/check-append.ts';
import type { Checkpoint } from '../../../src/store/checkpoint-store.ts';
import { createConversationChanges } from '../../../src/store/conversation-changes.ts';
import { createConversationDeletions } from '../../../src/store/conversation-deletions.ts';
import type { Owner } from '../../../src/store/conversation-index.ts';
import type { NewEntry } from '../../../src/store/conversation-log.ts';
import { searchAnswer, searchQuery } from '../../../src/store/conversation-search.ts';
import { conversationTitle } from '../../../src/store/conversation-title.ts';
import { decodeLogEntry, type EventRow } from '../../../src/store/decode-log-entry.ts';
import { createListeners, logListenerError } from '../../../src/store/listeners.ts';
import { findMatch } from '../../../src/store/search-snippet.ts';
import { createSearchTexts, type SearchText } from '../../../src/store/search-texts.ts';
import { soleInstanceCluster } from '../../../src/store/sole-instance-cluster.ts';
import type { Store } from '../../../src/store/store.ts';
import { EventStoreError } from '../../../src/store/store-errors.ts';
import {
  checkCheckpointSeq,
  checkNewConversation,
  checkReadAfter,
} from '../../../src/store/store-validation.ts';
import { byRecentActivity } from '../../../src/store/summary-order.ts';
import {
  type ConversationGrant,
  grantId,
  type ToolGrant,
  type ToolGrants,
} from '../../../src/store/tool-grants.ts';

/**
 * What a memory store holds, kept apart from the store so that a test can close the store and
 * open another on the same data (a restart without a file), or change it behind the store's
 * back. Stored as the SQLite file stores it: events and snapshots as JSON text, read back through
 * the same checks.
 */
export interface MemoryStoreData {
  conversations: Map<
    string,
    { createdAt: number; title: string | null; updatedAt: number; owner: Owner }
  >;
  /** Each conversation's entries in seq order, as `recent_entries` rows. */
  entries: Map<string, EventRow[]>;
  commands: Map<string, Set<string>>;
  checkpoints: Map<string, { seq: number; machineVersion: number; snapshot: string }>;
  /** What a search looks through, in the order written (search-texts.ts). */
  searchTexts: SearchText[];
  /** "Always allow everywhere" grants, in the order kept (tool-grants.ts). */
  grants: ToolGrant[];
  /** "Always allow" grants of one conversation each, in the order kept. */
  conversationGrants: ConversationGrant[];
  /** Whether a store has the data open: one at a time, as the SQLite file's lock allows. */
  inUse: boolean;
}

export function createMemoryStoreData(): MemoryStoreData {
  return {
    conversations: new Map(),
    entries: new Map(),
    commands: new Map(),
    checkpoints: new Map(),
    searchTexts: [],
    grants: [],
    conversationGrants: [],
    inUse: false,
  };
}

export interface MemoryStoreOptions {
  /** The data to open; a new, empty one by default. */
  data?: MemoryStoreData;
  /** Receives what a listener throws; logged to stderr by default, as the SQLite store does. */
  onListenerError?: (error: unknown) => void;
}

/**
 * A `Store` in memory for tests that need a store but not a file: the same contract as the
 * SQLite store (server/test/store/log-contract.ts runs on both), with the same validation and
 * refusals, the same change feeds, and nothing of SQLite's layout. Not persistent: its data ends
 * with the process.
 */
export function createMemoryStore({
  data = createMemoryStoreData(),
  onListenerError = logListenerError,
}: MemoryStoreOptions = {}): Store {
  if (data.inUse) throw new EventStoreError('this memory store data is open in another store');
  data.inUse = true;
  let open = true;
  const appended = createListeners<readonly LogEntry[]>(onListenerError);
  const changes = createConversationChanges(onListenerError);
  const deletions = createConversationDeletions(onListenerError);
  const searchTexts = createSearchTexts();

  const assertOpen = () => {
    if (!open) throw new EventStoreError('the memory store is closed');
  };
  const lastSeq = (conversationId: string) =>
    data.conversations.has(conversationId)
      ? (data.entries.get(conversationId)?.length ?? 0)
      : undefined;
  const hasCommand = (conversationId: string, commandId: string) =>
    data.commands.get(conversationId)?.has(commandId) ?? false;
  const summaryOf = (id: string) => {
    const conversation = data.conversations.get(id)!;
    return {
      id,
      title: conversation.title,
      createdAt: conversation.createdAt,
      updatedAt: conversation.updatedAt,
      lastSeq: lastSeq(id) ?? 0,
    };
  };

  function appendEntries(newEntries: readonly NewEntry[]): LogEntry[] {
    assertOpen();
    // Every refusal is found before anything is written, so a batch is all or nothing.
    const valid = checkAppend(newEntries, { lastSeq, hasCommand });
    const search = searchTexts.plan(valid);
    data.searchTexts.push(...search.texts);
    search.commit();
    const entries = valid.map(({ conversationId, seq, event, at }): LogEntry => {
      const conversation = data.conversations.get(conversationId)!;
      let rows = data.entries.get(conversationId);
      if (!rows) {
        rows = [];
        data.entries.set(conversationId, rows);
      }
      rows.push({
        conversation_id: conversationId,
        seq,
        at,
        machine_version: MACHINE_VERSION,
        event: JSON.stringify(event),
      });
      if ('commandId' in event) {
        let commands = data.commands.get(conversationId);
        if (!commands) {
          commands = new Set();
          data.commands.set(conversationId, commands);
        }
        commands.add(event.commandId);
      }
      if (event.type === 'user.message') conversation.title ??= conversationTitle(event.text);
      if (event.type === 'conversation.renamed') conversation.title = event.title;
      // The grant and its decision are kept together, as the databases do in one transaction.
      if (event.type === 'tool.approve' && event.scope === 'always' && event.grant) {
        const { toolName, server } = event.grant;
        const kept = data.conversationGrants.some(
          (g) => g.conversationId === conversationId && g.toolName === toolName,
        );
        if (!kept) {
          data.conversationGrants.push({
            id: grantId(conversationId, seq),
            conversationId,
            toolName,
            server: server ?? null,
            seq,
            grantedAt: at,
          });
        }
      }
      if (event.type === 'policy.revoke') {
        data.conversationGrants = data.conversationGrants.filter(
          (g) => g.conversationId !== conversationId || g.toolName !== event.toolName,
        );
      }
      if (event.type === 'tool.approve' && event.scope === 'everywhere' && event.grant?.server) {
        const { toolName, server } = event.grant;
        const kept = data.grants.some(
          (g) => g.owner === conversation.owner && g.server === server && g.toolName === toolName,
        );
        if (!kept) {
          data.grants.push({
            id: grantId(conversationId, seq),
            owner: conversation.owner,
            toolName,
            server,
            conversationId,
            seq,
            grantedAt: at,
          });
        }
      }
      conversation.updatedAt = Math.max(conversation.updatedAt, at);
      return { conversationId, seq, event, at, machineVersion: MACHINE_VERSION };
    });
    for (const { conversationId, event } of valid) {
      if (event.type === 'user.message' || event.type === 'conversation.renamed') {
        changes.changed(conversationId);
      }
    }
    if (entries.length > 0) appended.emit(entries);
    return entries;
  }

  return {
    log: {
      append: async (entry) => appendEntries([entry])[0]!,
      appendBatch: async (entries) => appendEntries(entries),
      async read(conversationId, afterSeq = 0, limit = Number.POSITIVE_INFINITY) {
        assertOpen();
        checkReadAfter(afterSeq, limit);
        // Each row checked as it is read, as the SQLite store checks a row it did not write.
        return (data.entries.get(conversationId) ?? [])
          .filter((row) => row.seq > afterSeq)
          .slice(0, limit)
          .map(decodeLogEntry);
      },
      async lastSeq(conversationId) {
        assertOpen();
        return lastSeq(conversationId) ?? 0;
      },
      onAppended: (listener) => appended.add(listener),
    },
    conversations: {
      async create({ id, createdAt, owner = null }) {
        assertOpen();
        checkNewConversation({ id, createdAt, owner });
        if (data.conversations.has(id)) {
          throw new EventStoreError(`conversation ${id} already exists`);
        }
        data.conversations.set(id, { createdAt, title: null, updatedAt: createdAt, owner });
        changes.changed(id);
      },
      async has(conversationId) {
        assertOpen();
        return data.conversations.has(conversationId);
      },
      async list() {
        assertOpen();
        return [...data.conversations.keys()].map(summaryOf).sort(byRecentActivity);
      },
      async listOwnedBy(owner) {
        assertOpen();
        return [...data.conversations]
          .filter(([, conversation]) => conversation.owner === owner)
          .map(([id]) => summaryOf(id))
          .sort(byRecentActivity);
      },
      async ownerOf(conversationId) {
        assertOpen();
        return data.conversations.get(conversationId)?.owner;
      },
      async get(conversationId) {
        assertOpen();
        return data.conversations.has(conversationId) ? summaryOf(conversationId) : null;
      },
      onChanged: (listener) => changes.listen(listener),
      async delete(conversationId) {
        assertOpen();
        const conversation = data.conversations.get(conversationId);
        if (!conversation) return undefined;
        data.conversations.delete(conversationId);
        data.entries.delete(conversationId);
        data.commands.delete(conversationId);
        data.checkpoints.delete(conversationId);
        data.conversationGrants = data.conversationGrants.filter(
          (grant) => grant.conversationId !== conversationId,
        );
        data.searchTexts = data.searchTexts.filter(
          (text) => text.conversationId !== conversationId,
        );
        searchTexts.forget(conversationId);
        deletions.deleted(conversationId, conversation.owner);
        return conversation.owner;
      },
      onDeleted: (listener) => deletions.listen(listener),
      async search(owner, query, limit = MAX_SEARCH_RESULTS) {
        assertOpen();
        const wanted = searchQuery(query);
        if (wanted.length === 0) return { results: [], truncated: false };
        const owned = (id: string) => data.conversations.get(id)?.owner === owner;
        const titles = [...data.conversations.keys()]
          .filter((id) => owned(id))
          .map(summaryOf)
          .sort(byRecentActivity)
          .flatMap(({ id, title }) =>
            title !== null && findMatch(title, wanted) ? [{ conversationId: id, title }] : [],
          )
          .slice(0, limit + 1);
        const texts = data.searchTexts
          .filter((text) => owned(text.conversationId) && findMatch(text.text, wanted))
          .reverse()
          .slice(0, limit + 1)
          .map((text) => ({ ...text, title: data.conversations.get(text.conversationId)!.title }));
        return searchAnswer(wanted, titles, texts, limit);
      },
    },
    checkpoints: {
      async save(conversationId, seq, snapshot) {
        assertOpen();
        checkCheckpointSeq(conversationId, seq, lastSeq(conversationId));
        const saved = data.checkpoints.get(conversationId);
        // An older checkpoint never replaces a newer one.
        if (saved && saved.seq > seq) return;
        data.checkpoints.set(conversationId, {
          seq,
          machineVersion: MACHINE_VERSION,
          snapshot: JSON.stringify(snapshot),
        });
      },
      async latest(conversationId): Promise<Checkpoint | null> {
        assertOpen();
        const saved = data.checkpoints.get(conversationId);
        // Another machine's snapshot has that machine's shape: the log is replayed instead.
        if (!saved || saved.machineVersion !== MACHINE_VERSION) return null;
        return { seq: saved.seq, snapshot: JSON.parse(saved.snapshot) };
      },
    },
    commands: {
      async has(conversationId, commandId) {
        assertOpen();
        return hasCommand(conversationId, commandId);
      },
    },
    grants: memoryToolGrants(data, assertOpen),
    cluster: soleInstanceCluster(),
    async close() {
      if (!open) return;
      open = false;
      data.inUse = false;
      appended.clear();
      changes.clear();
      deletions.clear();
    },
  };
}

/** Newest first, then by conversation (code-unit order, as the databases compare text), then seq. */
function newestGrantFirst(
  a: { grantedAt: number; conversationId: string; seq: number },
  b: { grantedAt: number; conversationId: string; seq: number },
): number {
  if (a.grantedAt !== b.grantedAt) return b.grantedAt - a.grantedAt;
  if (a.conversationId !== b.conversationId) return a.conversationId < b.conversationId ? -1 : 1;
  return a.seq - b.seq;
}

/** The grants of a memory store, kept as the SQLite table keeps them. */
function memoryToolGrants(data: MemoryStoreData, assertOpen: () => void): ToolGrants {
  const sameKey = (grant: ToolGrant, owner: Owner, server: string, toolName: string) =>
    grant.owner === owner && grant.server === server && grant.toolName === toolName;
  return {
    async listInConversations(owner) {
      assertOpen();
      return data.conversationGrants
        .filter((grant) => data.conversations.get(grant.conversationId)?.owner === owner)
        .sort(newestGrantFirst)
        .map((grant) => ({ ...grant }));
    },
    async add(grant) {
      assertOpen();
      const kept = data.grants.find((g) => sameKey(g, grant.owner, grant.server, grant.toolName));
      if (kept) return { ...kept };
      const added = { ...grant, id: grantId(grant.conversationId, grant.seq) };
      data.grants.push(added);
      return { ...added };
    },
    async list(owner) {
      assertOpen();
      return data.grants
        .filter((grant) => grant.owner === owner)
        .sort(newestGrantFirst)
        .map((grant) => ({ ...grant }));
    },
    async find(owner, server, toolName) {
      assertOpen();
      const kept = data.grants.find((g) => sameKey(g, owner, server, toolName));
      return kept ? { ...kept } : null;
    },
    async revoke(owner, id) {
      assertOpen();
      const at = data.grants.findIndex((grant) => grant.owner === owner && grant.id === id);
      if (at === -1) return null;
      const [removed] = data.grants.splice(at, 1);
      return removed ? { ...removed } : null;
    },
  };
}
