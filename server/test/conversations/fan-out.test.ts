import type { LogEntry } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { createFanOut, type Subscriber } from '../../src/conversations/fan-out.ts';

const entry = (seq: number): LogEntry => ({
  conversationId: 'c1',
  seq,
  event: { type: 'assistant.text_delta', turn: 1, index: 0, text: `t${seq}` },
  at: seq,
  machineVersion: 1,
});

/** Lets every promise callback queued so far run (a read answered, a page sent). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A conversation's log and its fan-out, as the runtime wires them: `append` makes entries durable
 * (readable), `publish` sends them out, as the runtime does once they are durable. Each catch-up
 * read is held until the test answers it, with the log as it was when the read began or as it is
 * when answered (the store decides which: both happen).
 */
function harness(initial = 0, pages: { readEntries?: number; messageBytes?: number } = {}) {
  const log: LogEntry[] = Array.from({ length: initial }, (_, i) => entry(i + 1));
  let publishedSeq = initial;
  /** The seq of the store's latest checkpoint, if any. */
  let checkpointSeq: number | null = null;
  const reads: Array<{
    afterSeq: number;
    limit: number;
    answer: (asOf?: 'start' | 'now') => void;
  }> = [];
  const after = (afterSeq: number, limit: number) =>
    log.filter((e) => e.seq > afterSeq).slice(0, limit);
  const fanOut = createFanOut(
    (afterSeq, limit) =>
      new Promise<LogEntry[]>((resolve) => {
        const atStart = after(afterSeq, limit);
        reads.push({
          afterSeq,
          limit,
          answer: (asOf = 'start') => resolve(asOf === 'start' ? atStart : after(afterSeq, limit)),
        });
      }),
    () => publishedSeq,
    {
      ...pages,
      latestCheckpoint: async () =>
        checkpointSeq === null
          ? null
          : {
              seq: checkpointSeq,
              message: JSON.stringify({ type: 'checkpoint', seq: checkpointSeq }),
            },
    },
  );
  const h = {
    fanOut,
    reads,
    /** Saves a checkpoint at `seq` (the store's latest from now on). */
    checkpointAt(seq: number) {
      checkpointSeq = seq;
    },
    append(seq: number) {
      log.push(entry(seq));
    },
    publish(seq: number) {
      publishedSeq = seq;
      fanOut.publish([log.find((e) => e.seq === seq) ?? entry(seq)]);
    },
    /** Publishes durable entries together, as the runtime does a completion and its decisions. */
    publishTogether(...seqs: number[]) {
      publishedSeq = seqs.at(-1) ?? publishedSeq;
      h.fanOut.publish(seqs.map((seq) => log.find((e) => e.seq === seq) ?? entry(seq)));
    },
    /** Durable, then published: what the runtime does with each entry. */
    appendAndPublish(seq: number) {
      this.append(seq);
      this.publish(seq);
    },
  };
  return h;
}

/**
 * A subscriber that records, in a timeline (its own, or one it shares), each entry it is sent
 * (`label N`) and where it was told its subscription starts (`subscribed N`).
 */
function recorder(timeline: string[] = [], label = 'entry') {
  const seqs: number[] = [];
  const subscriber: Subscriber = {
    deliver(message) {
      const parsed = JSON.parse(message) as { type: string; seq?: number; entries?: LogEntry[] };
      if (parsed.type === 'checkpoint') timeline.push(`checkpoint ${parsed.seq}`);
      for (const e of parsed.entries ?? []) {
        seqs.push(e.seq);
        timeline.push(`${label} ${e.seq}`);
      }
    },
  };
  return {
    subscriber,
    seqs,
    timeline,
    subscribed: (lastSeq: number) => {
      timeline.push(`subscribed ${lastSeq}`);
    },
  };
}

describe('the fan-out of a conversation', () => {
  it('gives a subscriber that joins during publishing every entry once, in order', async () => {
    for (const asOf of ['start', 'now'] as const) {
      const h = harness(3);
      const tab = recorder();
      const joined = h.fanOut.subscribe(tab.subscriber, 1, { subscribed: tab.subscribed });
      // Published while the catch-up is being read: the read may or may not hold them.
      h.appendAndPublish(4);
      h.appendAndPublish(5);
      h.reads[0]!.answer(asOf);
      expect(await joined).toBe(5);
      h.appendAndPublish(6);
      expect(tab.seqs, `read as of its ${asOf}`).toEqual([2, 3, 4, 5, 6]);
    }
  });

  it('makes a subscriber that has every published entry live at once, without reading the log', async () => {
    const h = harness(3);
    const tab = recorder();
    expect(await h.fanOut.subscribe(tab.subscriber, 3, { subscribed: tab.subscribed })).toBe(3);
    h.appendAndPublish(4);
    h.appendAndPublish(5);
    expect(h.reads).toEqual([]);
    expect(tab.timeline).toEqual(['subscribed 3', 'entry 4', 'entry 5']);
  });

  it('reads a long log a page at a time, and sends each full message before reading on', async () => {
    // Pages of 2 entries; messages so small that each entry fills one.
    const h = harness(5, { readEntries: 2, messageBytes: 1 });
    const tab = recorder();
    const joined = h.fanOut.subscribe(tab.subscriber, 0, { subscribed: tab.subscribed });
    expect(h.reads.map((r) => [r.afterSeq, r.limit])).toEqual([[0, 2]]);
    h.reads[0]!.answer();
    await turn();
    // Entry 2's message is still open: the next page may hold decisions that belong in it.
    expect(tab.timeline).toEqual(['entry 1']);
    expect(h.reads.map((r) => [r.afterSeq, r.limit])).toEqual([
      [0, 2],
      [2, 2],
    ]);
    h.reads[1]!.answer();
    await turn();
    expect(tab.timeline).toEqual(['entry 1', 'entry 2', 'entry 3']);
    h.reads[2]!.answer();
    expect(await joined).toBe(5);
    expect(h.reads.map((r) => r.afterSeq)).toEqual([0, 2, 4]);
    expect(tab.timeline).toEqual([...[1, 2, 3, 4, 5].map((s) => `entry ${s}`), 'subscribed 5']);
  });

  it('ends a paged catch-up at what was published when it began: the rest comes live, once', async () => {
    const h = harness(4, { readEntries: 2 });
    const tab = recorder();
    const joined = h.fanOut.subscribe(tab.subscriber, 0, { subscribed: tab.subscribed });
    h.reads[0]!.answer();
    await turn();
    h.appendAndPublish(5);
    h.append(6);
    h.reads[1]!.answer('now');
    expect(await joined).toBe(5);
    // Entries 1 to 4 read in two pages, then 5 as published during the read; 6 once published.
    expect(h.reads).toHaveLength(2);
    h.publish(6);
    expect(tab.timeline).toEqual([
      ...[1, 2, 3, 4, 5].map((s) => `entry ${s}`),
      'subscribed 5',
      'entry 6',
    ]);
    // A page that reaches past it is cut there.
    const late = harness(3, { readEntries: 2 });
    const other = recorder();
    const joinedLate = late.fanOut.subscribe(other.subscriber, 0, { subscribed: other.subscribed });
    late.reads[0]!.answer();
    await turn();
    late.append(4);
    late.reads[1]!.answer('now');
    expect(await joinedLate).toBe(3);
    late.publish(4);
    expect(other.timeline).toEqual(['entry 1', 'entry 2', 'entry 3', 'subscribed 3', 'entry 4']);
  });

  it('hands over a subscriber during a paged catch-up after what the catch-up has sent', async () => {
    const h = harness(6, { readEntries: 2, messageBytes: 1 });
    const tab = recorder();
    const options = { subscribed: tab.subscribed };
    const joined = h.fanOut.subscribe(tab.subscriber, 0, options);
    h.reads[0]!.answer();
    await turn();
    expect(tab.timeline).toEqual(['entry 1']);
    expect(h.fanOut.handOver()).toEqual([{ subscriber: tab.subscriber, afterSeq: 1, options }]);
    h.reads[1]!.answer();
    expect(await joined).toBeNull();
    expect(tab.timeline).toEqual(['entry 1']);
  });

  it('sends a subscriber that takes a checkpoint the latest one, then the entries after it', async () => {
    const h = harness(5, { readEntries: 2 });
    h.checkpointAt(3);
    const tab = recorder();
    const options = { subscribed: tab.subscribed, checkpoint: true };
    const joined = h.fanOut.subscribe(tab.subscriber, 1, options);
    await turn();
    expect(tab.timeline).toEqual(['checkpoint 3']);
    // Handed over now, it resumes after the checkpoint.
    expect(h.fanOut.handOver()).toEqual([{ subscriber: tab.subscriber, afterSeq: 3, options }]);
    h.reads[0]!.answer();
    expect(await joined).toBeNull();
    // The checkpoint it has is the latest: only the entries after it are read, then live ones.
    const again = h.fanOut.subscribe(tab.subscriber, 3, options);
    await turn();
    h.reads[1]!.answer();
    expect(await again).toBe(5);
    h.appendAndPublish(6);
    expect(h.reads.map((r) => r.afterSeq)).toEqual([3, 3]);
    expect(tab.timeline).toEqual(['checkpoint 3', 'entry 4', 'entry 5', 'subscribed 5', 'entry 6']);
  });

  it('sends no checkpoint to a subscriber that takes none, has as much, or lacks what it folds', async () => {
    const cases = [
      { name: 'takes none', afterSeq: 0, checkpoint: false, at: 3, published: 5 },
      { name: 'has as much', afterSeq: 3, checkpoint: true, at: 3, published: 5 },
      // Written before its last entries were published: entries the subscriber would miss.
      { name: 'ahead of what was published', afterSeq: 0, checkpoint: true, at: 5, published: 4 },
    ];
    for (const { name, afterSeq, checkpoint, at, published } of cases) {
      const h = harness(published);
      h.append(5);
      h.checkpointAt(at);
      const tab = recorder();
      const joined = h.fanOut.subscribe(tab.subscriber, afterSeq, {
        subscribed: tab.subscribed,
        checkpoint,
      });
      await turn();
      h.reads[0]!.answer();
      expect(await joined, name).toBe(published);
      expect(
        tab.timeline.filter((line) => line.startsWith('checkpoint')),
        name,
      ).toEqual([]);
      expect(tab.seqs[0], name).toBe(afterSeq + 1);
      expect(tab.seqs.at(-1), name).toBe(published);
    }
    // One that folds every published entry leaves nothing to read.
    const h = harness(4);
    h.checkpointAt(4);
    const tab = recorder();
    expect(
      await h.fanOut.subscribe(tab.subscriber, 0, { subscribed: tab.subscribed, checkpoint: true }),
    ).toBe(4);
    expect(h.reads).toEqual([]);
    expect(tab.timeline).toEqual(['checkpoint 4', 'subscribed 4']);
  });

  it('sends nothing to a subscriber gone while its checkpoint was read', async () => {
    const h = harness(4);
    h.checkpointAt(2);
    const tab = recorder();
    const joined = h.fanOut.subscribe(tab.subscriber, 0, { checkpoint: true });
    h.fanOut.unsubscribe(tab.subscriber);
    expect(await joined).toBeNull();
    expect(tab.timeline).toEqual([]);
    expect(h.reads).toEqual([]);
  });

  it('stops reading a catch-up once its subscriber is gone', async () => {
    const h = harness(6, { readEntries: 2 });
    const tab = recorder();
    const joined = h.fanOut.subscribe(tab.subscriber, 0, { subscribed: tab.subscribed });
    h.reads[0]!.answer();
    await turn();
    h.fanOut.unsubscribe(tab.subscriber);
    h.reads[1]!.answer();
    expect(await joined).toBeNull();
    expect(h.reads).toHaveLength(2);
    expect(tab.timeline).toEqual([]);
  });

  it('tells where the subscription starts after the catch-up and before the first live entry', async () => {
    const h = harness(3);
    const timeline: string[] = [];
    const tab = recorder(timeline, 'live');
    const pages = recorder(timeline, 'catch-up');
    const joined = h.fanOut.subscribe(tab.subscriber, 0, {
      catchUp: pages.subscriber,
      subscribed: tab.subscribed,
    });
    h.appendAndPublish(4);
    expect(timeline).toEqual([]);
    h.reads[0]!.answer('start');
    expect(await joined).toBe(4);
    h.appendAndPublish(5);
    // The catch-up (to `catchUp`), what was published during it, then `subscribed`, then live.
    expect(timeline).toEqual([
      'catch-up 1',
      'catch-up 2',
      'catch-up 3',
      'live 4',
      'subscribed 4',
      'live 5',
    ]);
  });

  it('sends in the catch-up only what was published: what is durable but not yet comes live, once', async () => {
    const h = harness(2);
    // Entries 3 and 4 are durable (their commit is done) but not yet published.
    h.append(3);
    h.append(4);
    const tab = recorder();
    const joined = h.fanOut.subscribe(tab.subscriber, 0, { subscribed: tab.subscribed });
    h.reads[0]!.answer('start');
    expect(await joined).toBe(2);
    h.publish(3);
    h.publish(4);
    h.appendAndPublish(5);
    expect(tab.seqs).toEqual([1, 2, 3, 4, 5]);
    expect(tab.timeline.indexOf('subscribed 2')).toBe(2);
  });

  it('hands over its live subscribers with their last seq, and joining ones as they asked', async () => {
    const h = harness(2);
    const live = recorder();
    const joiningTab = recorder();
    const livePromise = h.fanOut.subscribe(live.subscriber, 0);
    h.reads[0]!.answer('start');
    await livePromise;
    h.appendAndPublish(3);
    const options = { subscribed: joiningTab.subscribed };
    const joining = h.fanOut.subscribe(joiningTab.subscriber, 1, options);
    h.appendAndPublish(4);
    expect(h.fanOut.size).toBe(2);

    const moved = h.fanOut.handOver();
    expect(moved).toEqual([
      { subscriber: live.subscriber, afterSeq: 4, options: {} },
      { subscriber: joiningTab.subscriber, afterSeq: 1, options },
    ]);
    expect(h.fanOut.size).toBe(0);
    // Handed over: this fan-out sends them nothing more, the joining one's catch-up included.
    h.reads[1]!.answer('now');
    expect(await joining).toBeNull();
    h.appendAndPublish(5);
    expect(live.seqs).toEqual([1, 2, 3, 4]);
    expect(joiningTab.seqs).toEqual([]);
    expect(joiningTab.timeline).toEqual([]);
  });

  it('forgets a subscriber removed while it joins: nothing is sent, its join resolves null', async () => {
    const h = harness(2);
    const tab = recorder();
    const joined = h.fanOut.subscribe(tab.subscriber, 0, { subscribed: tab.subscribed });
    h.fanOut.unsubscribe(tab.subscriber);
    h.appendAndPublish(3);
    h.reads[0]!.answer('now');
    expect(await joined).toBeNull();
    h.appendAndPublish(4);
    expect(tab.timeline).toEqual([]);
    expect(h.fanOut.size).toBe(0);
  });

  it('sends entries published together as one message, less those a joining subscriber has', async () => {
    /** A subscriber that records the seqs of each message it is sent. */
    const messageLog = () => {
      const messages: number[][] = [];
      const subscriber: Subscriber = {
        deliver: (message) =>
          messages.push((JSON.parse(message) as { entries: LogEntry[] }).entries.map((e) => e.seq)),
      };
      return { messages, subscriber };
    };
    // Each subscriber has entry 1 and is sent 2 in its catch-up.
    const h = harness(2);
    const live = messageLog();
    const joinedLive = h.fanOut.subscribe(live.subscriber, 1);
    h.reads[0]!.answer();
    await joinedLive;
    h.append(3);
    // Its catch-up read finds 2 and 3; it is answered only after the publication below.
    const joining = messageLog();
    const joinedJoining = h.fanOut.subscribe(joining.subscriber, 1);
    h.append(4);
    // Its catch-up read finds 2, 3 and 4, of which 3 and 4 are not yet published: it is live
    // before they are, and gets them with 5 (a completion read before its decisions are made
    // comes with them).
    const caughtUp = messageLog();
    const joinedCaughtUp = h.fanOut.subscribe(caughtUp.subscriber, 1);
    h.reads[2]!.answer('start');
    await joinedCaughtUp;
    h.append(5);
    h.publishTogether(3, 4, 5);
    h.reads[1]!.answer('start');
    await joinedJoining;
    expect(live.messages).toEqual([[2], [3, 4, 5]]);
    expect(caughtUp.messages).toEqual([[2], [3, 4, 5]]);
    // Its read, begun before the publication, found 3: it gets the publication as it was made.
    expect(joining.messages).toEqual([[2], [3, 4, 5]]);
  });

  it('sends each live entry as a message of its own, to each subscriber, and `tell` to the live ones', async () => {
    const h = harness(0);
    const first = recorder();
    const second = recorder();
    const messages: string[] = [];
    const joinedFirst = h.fanOut.subscribe(
      {
        deliver: (message) => {
          messages.push(message);
          first.subscriber.deliver(message);
        },
      },
      0,
    );
    const joinedSecond = h.fanOut.subscribe(second.subscriber, 0);
    await Promise.all([joinedFirst, joinedSecond]);
    h.appendAndPublish(1);
    h.appendAndPublish(2);
    expect(messages.map((m) => (JSON.parse(m) as { entries: unknown[] }).entries.length)).toEqual([
      1, 1,
    ]);
    expect(second.seqs).toEqual([1, 2]);
    h.fanOut.tell('{"type":"error"}');
    expect(messages.at(-1)).toBe('{"type":"error"}');
  });
});
