// Figures for the SQLite store's log: `npx tsx server/bench/store-append.bench.ts`.
// It prints, it asserts nothing. Targets: appends >= 50,000 events/s; rebuilding a
// 10,000-event conversation (read + replay) <= 50 ms.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConversationEvent, replay } from '@tollgate/machines';
import { checkpointDue } from '../src/conversations/checkpoint-policy.ts';
import type { ConversationLog } from '../src/store/conversation-log.ts';
import { compactAtOnce } from '../src/store/sqlite-compaction.ts';
import { openSqliteStore } from '../src/store/sqlite-store.ts';
import type { Store } from '../src/store/store.ts';

const APPENDS = 100_000;
const CONVERSATIONS = 200;
const REBUILD_EVENTS = 10_000;
const AT = 1_764_000_000_000;

let commands = 0;
const userMessage = (text: string): ConversationEvent => ({
  type: 'user.message',
  commandId: `cmd_${++commands}`,
  text,
  at: AT,
});
const started = (turn: number): ConversationEvent => ({
  type: 'assistant.started',
  turn,
  messageId: `msg_${turn}`,
  model: 'claude-sonnet-5-5',
});
// A delta about the size Claude streams: a few words.
const textDelta = (turn: number, i: number): ConversationEvent => ({
  type: 'assistant.text_delta',
  turn,
  index: 0,
  text: `word${i} and some more `,
});

async function withStore<T>(run: (store: Store, file: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-bench-'));
  const file = join(dir, 'bench.sqlite');
  // Unlike the server, whose event loop turns between appends, this loop never yields to it.
  const store = openSqliteStore(file, { scheduleCompaction: compactAtOnce });
  try {
    return await run(store, file);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Appends events to one conversation in one transaction, with the seqs after `lastSeq`. */
function appendAfter(
  log: ConversationLog,
  conversationId: string,
  lastSeq: number,
  events: readonly ConversationEvent[],
) {
  return log.appendBatch(
    events.map((event, i) => ({ conversationId, seq: lastSeq + 1 + i, event, at: AT })),
  );
}

/** Opens `count` conversations, each with a message and a started turn (seqs 1 and 2). */
async function openConversations(store: Store, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `c${i}`;
    await store.conversations.create({ id, createdAt: AT });
    await appendAfter(store.log, id, 0, [userMessage(`Conversation ${i}`), started(1)]);
    ids.push(id);
  }
  return ids;
}

const rate = (events: number, ms: number) =>
  `${Math.round((events / ms) * 1000).toLocaleString('en')} events/s`;
const size = (file: string) => {
  const wal = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
  return `file ${(statSync(file).size / 1e6).toFixed(1)} MB + WAL ${(wal / 1e6).toFixed(1)} MB`;
};

function appendOneByOne(conversations: number) {
  return withStore(async (store, file) => {
    const ids = await openConversations(store, conversations);
    // Each conversation's last seq, kept by the caller as the server's runtimes keep theirs.
    const lastSeqs = ids.map(() => 2);
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < APPENDS; i++) {
      const c = i % ids.length;
      // Awaited, as the server's runtime awaits each append before the next.
      await store.log.append({
        conversationId: ids[c]!,
        seq: ++lastSeqs[c]!,
        event: textDelta(1, i),
        at: AT + i,
      });
    }
    const ms = performance.now() - start;
    // CPU time too: on a shared machine the wall clock also counts waiting for a core.
    const { user, system } = process.cpuUsage(cpu);
    console.log(
      `append one by one, ${APPENDS.toLocaleString('en')} deltas over ${conversations} conversation(s): ` +
        `${ms.toFixed(0)} ms, ${rate(APPENDS, ms)} (${((ms / APPENDS) * 1000).toFixed(1)} µs each, ` +
        `${((user + system) / APPENDS).toFixed(1)} µs of CPU; ${size(file)})`,
    );
  });
}

/** What committing `batch` deltas per transaction gives: `batch` entries per appendBatch. */
function appendBatched(batch: number) {
  return withStore(async (store) => {
    const [id] = await openConversations(store, 1);
    const start = performance.now();
    for (let i = 0; i < APPENDS; i += batch) {
      const events = Array.from({ length: Math.min(batch, APPENDS - i) }, (_, j) =>
        textDelta(1, i + j),
      );
      await appendAfter(store.log, id!, 2 + i, events);
    }
    const ms = performance.now() - start;
    console.log(
      `append in batches of ${batch} (one transaction each): ${ms.toFixed(0)} ms, ${rate(APPENDS, ms)}`,
    );
  });
}

const completed = (turn: number): ConversationEvent => ({
  type: 'assistant.completed',
  turn,
  stopReason: 'end_turn',
  usage: {
    inputTokens: 100,
    outputTokens: 40,
    cacheReadInputTokens: 0,
    cacheCreationInputTokens: 0,
  },
});

/** One long streamed answer: a message, a started turn, then deltas. */
function oneLongTurn(): ConversationEvent[] {
  return [
    userMessage('Write me a long essay'),
    started(1),
    ...Array.from({ length: REBUILD_EVENTS - 2 }, (_, i) => textDelta(1, i)),
  ];
}

/** Many short exchanges (message, started, 20 deltas, completed), cut at REBUILD_EVENTS. */
function manyShortTurns(): ConversationEvent[] {
  const events: ConversationEvent[] = [];
  for (let turn = 1; events.length < REBUILD_EVENTS; turn++) {
    events.push(userMessage(`Question ${turn}`), started(turn));
    for (let i = 0; i < 20; i++) events.push(textDelta(turn, i));
    events.push(completed(turn));
  }
  return events.slice(0, REBUILD_EVENTS);
}

const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!;

/**
 * Appends the events as the server would, saving checkpoints where its runtime does (at rest,
 * every CHECKPOINT_EVERY entries or more), so the store holds what a server's would.
 */
async function appendWithCheckpoints(store: Store, id: string, events: ConversationEvent[]) {
  let snapshot = replay([]);
  let lastCheckpoint = 0;
  for (let i = 0; i < events.length; i += 100) {
    const entries = await appendAfter(store.log, id, i, events.slice(i, i + 100));
    for (const entry of entries) {
      snapshot = replay([entry], { snapshot, seq: entry.seq - 1 });
      if (checkpointDue(entry.seq, lastCheckpoint, snapshot)) {
        await store.checkpoints.save(id, entry.seq, snapshot);
        lastCheckpoint = entry.seq;
      }
    }
  }
  return lastCheckpoint;
}

function rebuild(shape: string, events: ConversationEvent[]) {
  return withStore(async (store) => {
    const id = 'c';
    await store.conversations.create({ id, createdAt: AT });
    const checkpointSeq = await appendWithCheckpoints(store, id, events);
    const full: { read: number; fold: number }[] = [];
    const fromCheckpoint: number[] = [];
    for (let run = 0; run < 12; run++) {
      const t0 = performance.now();
      const entries = await store.log.read(id);
      const t1 = performance.now();
      replay(entries);
      const t2 = performance.now();
      if (entries.length !== REBUILD_EVENTS) throw new Error(`read ${entries.length} entries`);
      full.push({ read: t1 - t0, fold: t2 - t1 });
      // What the server does when it opens the conversation (conversation-runtime.ts).
      const t3 = performance.now();
      const checkpoint = await store.checkpoints.latest(id);
      if (checkpoint) {
        const tail = await store.log.read(id, checkpoint.seq);
        replay(tail, { snapshot: checkpoint.snapshot as never, seq: checkpoint.seq });
      } else {
        replay(await store.log.read(id));
      }
      fromCheckpoint.push(performance.now() - t3);
    }
    const [first, ...warm] = full;
    const read = median(warm.map((r) => r.read));
    const fold = median(warm.map((r) => r.fold));
    console.log(
      `rebuild ${REBUILD_EVENTS.toLocaleString('en')} events (${shape}), warm median of ${warm.length}: ` +
        `read ${read.toFixed(1)} ms + replay ${fold.toFixed(1)} ms = ${(read + fold).toFixed(1)} ms` +
        ` (first, cold: ${(first!.read + first!.fold).toFixed(1)} ms)`,
    );
    const [firstOpen, ...warmOpen] = fromCheckpoint;
    console.log(
      `  as the server opens it: ${checkpointSeq ? `checkpoint at ${checkpointSeq}, then ${REBUILD_EVENTS - checkpointSeq} entries` : 'no checkpoint (never at rest), the whole log'}: ` +
        `${median(warmOpen).toFixed(1)} ms warm median (first: ${firstOpen!.toFixed(1)} ms)`,
    );
  });
}

console.log(`Node ${process.version}, ${process.platform}/${process.arch}`);
await appendOneByOne(1);
await appendOneByOne(CONVERSATIONS);
for (const batch of [10, 100]) await appendBatched(batch);
await rebuild('one long turn', oneLongTurn());
await rebuild('many short turns', manyShortTurns());
