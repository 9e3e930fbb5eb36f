import { type LogEntry, serverMessageSchema } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { entriesMessages } from './entries-messages.ts';

const entry = (seq: number, text: string): LogEntry => ({
  conversationId: 'c_1',
  seq,
  event: { type: 'assistant.text_delta', turn: 1, index: 0, text },
  at: 1_000 + seq,
  machineVersion: 1,
});

const entriesOf = (page: string): LogEntry[] => {
  const message = serverMessageSchema.parse(JSON.parse(page));
  if (message.type !== 'entries') throw new Error(`not entries: ${message.type}`);
  return message.entries;
};

describe('entries messages', () => {
  it('sends nothing when nothing was missed', () => {
    expect(entriesMessages([])).toEqual([]);
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
