import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../log-entry.ts';
import { entrySummary } from './entry-summary.ts';
import { eventRows } from './event-rows.ts';

const golden = (scenario: string): LogEntry[] =>
  JSON.parse(
    readFileSync(
      new URL(`../../test-fixtures/golden-logs/v1/${scenario}.json`, import.meta.url),
      'utf8',
    ),
  ).entries;

describe('the events list', () => {
  it('collapses runs of deltas and chunks into one row each, keeping every entry', () => {
    const entries = golden('approve');
    const rows = eventRows(entries);
    expect(rows.flatMap((row) => (row.kind === 'run' ? row.entries : [row.entry]))).toEqual(
      entries,
    );
    expect(rows.length).toBeLessThan(20);
    const chunks = rows.find((row) => row.kind === 'run' && row.type === 'tool.chunk');
    expect(chunks?.kind === 'run' && chunks.summary).toMatch(
      /^7 entries: chunks 1–7, 1610 of 1610 bytes$/,
    );
    const input = rows.find(
      (row) => row.kind === 'run' && row.type === 'assistant.tool_input_delta',
    );
    expect(input?.summary).toMatch(/^344 entries: write_file: "\{\\"path\\":\\"notes\/a\.md/);
    expect(
      rows.map((row) => (row.kind === 'entry' ? row.entry.event.type : `${row.type}…`)),
    ).toEqual(
      expect.arrayContaining([
        'user.message',
        'assistant.tool_use',
        'tool.approve',
        'tool.completed',
      ]),
    );
  });

  it('says in one line what each entry is', () => {
    const entries = golden('deny-with-reason');
    const summaries = Object.fromEntries(
      entries.map((entry) => [entry.event.type, entrySummary(entry)]),
    );
    expect(summaries['user.message']).toBe('"Write secret.md"');
    expect(summaries['assistant.tool_use']).toBe('write_file secret.md (toolu_d1)');
    expect(summaries['tool.deny']).toBe('toolu_d1: denied: "Not today"');
    expect(summaries['assistant.completed']).toMatch(/^turn 2: end_turn, \d+ tokens in, \d+ out$/);
    const approved = golden('approve').find((entry) => entry.event.type === 'tool.completed');
    expect(approved && entrySummary(approved)).toBe('toolu_w1: notes/a.md, 1610 bytes');
  });
});
