import { type LogEntry, serverMessageSchema } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { completed } from '../../../machines/src/test-support/event-builders.ts';
import { catchUpPager, publications } from './entries-messages.ts';

const entry = (seq: number, text: string): LogEntry => ({
  conversationId: 'c_1',
  seq,
  event: { type: 'assistant.text_delta', turn: 1, index: 0, text },
  at: 1_000 + seq,
  machineVersion: 1,
});

/** A catch-up's messages for `entries` fed to the pager at once. */
const entriesMessages = (entries: LogEntry[], pageBytes: number) => {
  const pager = catchUpPager(pageBytes);
  return [...pager.add(entries), ...pager.end()];
};

const entriesOf = (page: string): LogEntry[] => {
  const message = serverMessageSchema.parse(JSON.parse(page));
  if (message.type !== 'entries') throw new Error(`not entries: ${message.type}`);
  return message.entries;
};

describe('entries messages', () => {
  it('sends nothing when nothing was missed', () => {
    expect(entriesMessages([], 1_000)).toEqual([]);
  });

  it('returns each message once it is full, whatever pieces the log is read in', () => {
    const log = Array.from({ length: 50 }, (_, i) => entry(i + 1, 'x'.repeat(100)));
    const pager = catchUpPager(1_000);
    // The first read completes a message or more, and holds back the one it has begun.
    const first = pager.add(log.slice(0, 17));
    expect(first.length).toBeGreaterThan(0);
    expect(first.flatMap(entriesOf).at(-1)?.seq).toBeLessThan(17);
    const rest = [...pager.add(log.slice(17, 18)), ...pager.add(log.slice(18)), ...pager.end()];
    expect([...first, ...rest]).toEqual(entriesMessages(log, 1_000));
    expect(pager.end()).toEqual([]);
  });

  it('carries every entry once, in order, in pages of about the given size', () => {
    const log = Array.from({ length: 50 }, (_, i) => entry(i + 1, 'x'.repeat(100)));
    const pages = entriesMessages(log, 1_000);
    expect(pages.length).toBeGreaterThan(5);
    for (const page of pages.slice(0, -1)) expect(page.length).toBeLessThan(1_200);
    expect(pages.flatMap(entriesOf)).toEqual(log);
  });

  it('gives an entry larger than a page a page of its own', () => {
    const log = [entry(1, 'a'), entry(2, 'b'.repeat(5_000)), entry(3, 'c')];
    const pages = entriesMessages(log, 1_000).map(entriesOf);
    expect(pages.map((page) => page.map((e) => e.seq))).toEqual([[1], [2], [3]]);
  });
});

describe('publications of entries read from the log', () => {
  const of = (seq: number, event: LogEntry['event']): LogEntry => ({ ...entry(seq, ''), event });
  const decided = (seq: number, toolUseId: string) =>
    of(seq, {
      type: 'tool.policy_decided',
      toolUseId,
      decision: 'approved',
      rule: { index: 1, effect: 'allow', server: '*', tool: 'read_*' },
    });

  it('keeps a completion and its decisions in one page of a catch-up, even read apart', () => {
    const log = [
      entry(1, 'x'.repeat(100)),
      of(2, completed(1, 'tool_use')),
      decided(3, 'toolu_1'),
      decided(4, 'toolu_2'),
      entry(5, 'x'.repeat(100)),
    ];
    // Pages small enough that any entry would start a new one.
    const pages = entriesMessages(log, 10).map((page) => entriesOf(page).map((e) => e.seq));
    expect(pages).toEqual([[1], [2, 3, 4], [5]]);
    // The log read in pages that cut between the completion and its decisions.
    const pager = catchUpPager(10);
    const messages = [log.slice(0, 2), log.slice(2, 3), log.slice(3)].flatMap((part) =>
      pager.add(part),
    );
    const read = [...messages, ...pager.end()].map((page) => entriesOf(page).map((e) => e.seq));
    expect(read).toEqual([[1], [2, 3, 4], [5]]);
  });

  it("puts the server's decisions with the completion or the decisions they follow, and nothing else", () => {
    const log = [
      entry(1, 'a'),
      of(2, completed(1, 'tool_use')),
      decided(3, 'toolu_1'),
      decided(4, 'toolu_2'),
      entry(5, 'b'),
      decided(6, 'toolu_3'),
      decided(7, 'toolu_4'),
    ];
    expect(publications(log).map((group) => group.map((e) => e.seq))).toEqual([
      [1],
      [2, 3, 4],
      [5],
      [6, 7],
    ]);
    expect(publications([])).toEqual([]);
  });
});
