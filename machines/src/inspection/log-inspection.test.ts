import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withCacheBreakpoint } from '../claude-cache-breakpoint.ts';
import type { LogEntry } from '../log-entry.ts';
import { replay } from '../replay.ts';
import * as ev from '../test-support/event-builders.ts';
import { toClaudeMessages } from '../to-claude-messages.ts';
import { contextChanges } from './context-changes.ts';
import { createLogInspection, INSPECTION_CHECKPOINT_EVERY } from './log-inspection.ts';

const golden = (scenario: string): LogEntry[] =>
  JSON.parse(
    readFileSync(
      new URL(`../../test-fixtures/golden-logs/v1/${scenario}.json`, import.meta.url),
      'utf8',
    ),
  ).entries;

const seqOf = (entries: LogEntry[], type: string) => {
  const found = entries.find((entry) => entry.event.type === type);
  if (!found) throw new Error(`no ${type}`);
  return found.seq;
};

function inspect(entries: LogEntry[]) {
  const inspection = createLogInspection();
  inspection.append(entries);
  return inspection;
}

describe('travelling through a log', () => {
  it('shows each point as replay folds it, with the state before and after the entry', () => {
    const entries = golden('approve');
    const inspection = inspect(entries);
    const approval = seqOf(entries, 'tool.approve');
    const point = inspection.at(approval);
    expect(point.entry?.event.type).toBe('tool.approve');
    expect([point.previousState, point.state]).toEqual(['awaitingApproval', 'executingTool']);
    expect(point.tags).toEqual(['working']);
    for (const seq of [0, 1, approval - 1, approval, entries.length]) {
      const expected = replay(entries.slice(0, seq));
      expect(inspection.at(seq).context).toEqual(expected.context);
      expect(inspection.at(seq).state).toBe(String(expected.value));
    }
    expect(inspection.at(entries.length).state).toBe('idle');
    expect(inspection.at(0)).toMatchObject({ seq: 0, entry: null, state: 'idle', request: null });
  });

  it('names the actors running at a point: the Claude stream, then the tool run', () => {
    const entries = golden('approve');
    const inspection = inspect(entries);
    const byId = (seq: number) =>
      Object.fromEntries(inspection.at(seq).actors.map((actor) => [actor.id, actor]));
    expect(byId(seqOf(entries, 'assistant.started')).claude).toMatchObject({ status: 'active' });
    expect(byId(seqOf(entries, 'assistant.started')).tool?.status).toBe('stopped');
    expect(byId(seqOf(entries, 'tool.started')).tool).toMatchObject({
      status: 'active',
      detail: 'write_file (toolu_w1)',
    });
    expect(byId(seqOf(entries, 'tool.started')).claude?.status).toBe('stopped');
    expect(byId(entries.length).conversation).toMatchObject({ status: 'active', detail: 'idle' });
  });

  it("gives Claude's latest request at a point exactly as it was sent", () => {
    const entries = golden('deny-with-reason');
    const inspection = inspect(entries);
    const denial = seqOf(entries, 'tool.deny');
    // Turn 1 was asked for with the person's message alone.
    expect(inspection.at(denial - 1).request).toEqual({
      turn: 1,
      messages: withCacheBreakpoint(toClaudeMessages(replay(entries.slice(0, 1)).context)),
    });
    // The denial started turn 2: its request answers the call with the reason, as an error.
    const second = inspection.at(entries.length).request;
    expect(second?.turn).toBe(2);
    expect(second?.messages).toEqual(
      withCacheBreakpoint(toClaudeMessages(replay(entries.slice(0, denial)).context)),
    );
    const results = second?.messages.at(-1)?.content ?? [];
    expect(results).toMatchObject([
      {
        type: 'tool_result',
        tool_use_id: 'toolu_d1',
        is_error: true,
        content: expect.stringContaining('Not today'),
        cache_control: { type: 'ephemeral' },
      },
    ]);
  });

  it('says what an entry changed in the context', () => {
    const entries = golden('deny-with-reason');
    const inspection = inspect(entries);
    const point = inspection.at(seqOf(entries, 'tool.deny'));
    const changes = contextChanges(point.previousContext, point.context);
    expect(changes).toContainEqual(
      expect.objectContaining({
        path: expect.stringMatching(/^items\.\d+\.decision\.status$/),
        change: 'changed',
        before: '"pending"',
        after: '"denied"',
      }),
    );
    expect(changes).toContainEqual(
      expect.objectContaining({
        path: expect.stringMatching(/decision\.reason$/),
        after: '"Not today"',
      }),
    );
    // A delta shows what it appended, not the whole text again.
    const delta = inspection.at(seqOf(entries, 'assistant.started') + 2);
    expect(contextChanges(delta.previousContext, delta.context)).toEqual([
      expect.objectContaining({ change: 'changed', after: expect.stringMatching(/^… \+ "/) }),
    ]);
  });

  it('folds a long log from checkpoints, live as entries arrive, and refuses a gap', () => {
    const entries: LogEntry[] = [];
    const push = (event: LogEntry['event']) =>
      entries.push({
        conversationId: 'c1',
        seq: entries.length + 1,
        event,
        at: 1,
        machineVersion: 1,
      });
    push(ev.userMessage('Count'));
    push(ev.started(1));
    for (let i = 0; i < 3 * INSPECTION_CHECKPOINT_EVERY; i++) push(ev.textDelta(1, `${i} `));
    push(ev.completed(1));
    const inspection = createLogInspection();
    inspection.append(entries.slice(0, 500));
    inspection.append(entries.slice(400)); // overlapping: the repeats are ignored
    expect(inspection.lastSeq()).toBe(entries.length);
    const middle = 2 * INSPECTION_CHECKPOINT_EVERY + 7;
    expect(inspection.at(middle).context).toEqual(replay(entries.slice(0, middle)).context);
    expect(inspection.at(entries.length).state).toBe('idle');
    expect(() => inspection.append([{ ...entries[0]!, seq: entries.length + 2 }])).toThrow(
      /does not follow/,
    );
    expect(() => inspection.at(entries.length + 1)).toThrow(/no entry/);
  });
});
