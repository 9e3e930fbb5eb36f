import { readFileSync } from 'node:fs';
import type { LogEntry } from '@tollgate/machines';
import { eventRows } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { createRowCache, eventLines, rowTypes, stepLine } from './event-lines.ts';

const golden = (scenario: string): LogEntry[] =>
  JSON.parse(
    readFileSync(
      new URL(`../../../machines/test-fixtures/golden-logs/v1/${scenario}.json`, import.meta.url),
      'utf8',
    ),
  ).entries;

const approve = golden('approve');
const seqOf = (type: string) => approve.find((entry) => entry.event.type === type)!.seq;
const none = new Set<number>();

describe('the events list', () => {
  it('regroups only the last row as the log grows, to the same rows as grouping it whole', () => {
    for (const scenario of ['approve', 'parallel-calls', 'stop-mid-tool']) {
      const entries = golden(scenario);
      const rows = createRowCache();
      // One entry at a time, as live entries come, and in uneven batches, as a catch-up comes.
      for (let end = 1; end <= entries.length; end += 1) {
        expect(rows(entries.slice(0, end))).toEqual(eventRows(entries.slice(0, end)));
      }
      const batched = createRowCache();
      for (const end of [3, 4, 90, 91, entries.length]) batched(entries.slice(0, end));
      expect(batched(entries)).toEqual(eventRows(entries));
    }
  });

  it('hands back the same rows while the log has not grown', () => {
    const rows = createRowCache();
    expect(rows(approve)).toBe(rows(approve));
  });

  it('collapses runs into one line, which opens into its entries', () => {
    const rows = eventRows(approve);
    const collapsed = eventLines(rows, null, none);
    const inputRun = collapsed.find((line) => line.type === 'assistant.tool_input_delta')!;
    expect(inputRun).toMatchObject({ kind: 'run', selectable: true, expanded: false });
    expect(inputRun.count).toBeGreaterThan(300);
    // A run shows the conversation at its end, and what it changed since before its first entry.
    expect(inputRun.seq).toBe(seqOf('assistant.tool_use') - 1);
    expect(inputRun.fromSeq).toBe(inputRun.firstSeq - 1);
    expect(collapsed.length).toBeLessThan(30);

    const opened = eventLines(rows, null, new Set([inputRun.firstSeq]));
    expect(opened).toHaveLength(collapsed.length + inputRun.count);
    const header = opened.find((line) => line.key === inputRun.key)!;
    expect(header).toMatchObject({ selectable: false, expanded: true });
    const members = opened.filter((line) => line.kind === 'member');
    expect(members.map((line) => line.seq)).toEqual(
      Array.from({ length: inputRun.count }, (_, i) => inputRun.firstSeq + i),
    );
    expect(members[0]!.fromSeq).toBe(inputRun.firstSeq - 1);
  });

  it('filters by type, and offers the types the log has', () => {
    const rows = eventRows(approve);
    expect(rowTypes(rows)).toContain('tool.approve');
    expect(rowTypes(rows)).not.toContain('tool.deny');
    const chunks = eventLines(rows, 'tool.chunk', none);
    expect(chunks.map((line) => line.type)).toEqual(['tool.chunk']);
  });

  it('steps line by line, from the live end too, and places a line no longer listed by its seq', () => {
    const lines = eventLines(eventRows(approve), null, none);
    const approval = lines.find((line) => line.type === 'tool.approve')!;
    const index = lines.indexOf(approval);
    expect(stepLine(lines, approval, -1)).toBe(lines[index - 1]);
    expect(stepLine(lines, approval, 1)).toBe(lines[index + 1]);
    expect(stepLine(lines, lines[0]!, -1)).toBeNull();
    expect(stepLine(lines, lines.at(-1)!, 1)).toBeNull();
    const live = { key: null, seq: approve.length };
    expect(stepLine(lines, live, -1)).toBe(lines.at(-2));
    expect(stepLine(lines, live, 1)).toBeNull();
    const onlyTools = eventLines(eventRows(approve), 'tool.started', none);
    expect(stepLine(onlyTools, approval, 1)?.type).toBe('tool.started');
    expect(stepLine(onlyTools, approval, -1)).toBeNull();
  });

  it('steps over an opened run’s own line, through its entries', () => {
    const rows = eventRows(approve);
    const run = eventLines(rows, null, none).find((line) => line.type === 'tool.chunk')!;
    const lines = eventLines(rows, null, new Set([run.firstSeq]));
    const started = lines.find((line) => line.type === 'tool.started')!;
    expect(stepLine(lines, started, 1)).toMatchObject({ kind: 'member', seq: run.firstSeq });
  });
});
