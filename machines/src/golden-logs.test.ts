import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type {
  AssistantItem,
  ConversationContext,
  NoticeItem,
  TimelineItem,
  ToolCallItem,
} from './conversation-context.ts';
import type { LogEntry } from './log-entry.ts';
import { type ConversationSnapshot, replay } from './replay.ts';
import { goldenLogFiles } from './test-support/golden-log-files.ts';

// Golden logs are conversations recorded from real runs of the server, one folder per machine
// version (server/test/golden/record-golden-logs.ts), each with the snapshot its log folded to
// then. Every one must still fold to that snapshot with today's replay: a change that folds an
// old log differently needs a MACHINE_VERSION bump and an upcaster (docs/architecture.md,
// "Versions and history"). Recorded files are never rewritten to make this pass.

const goldens = goldenLogFiles(fs);

/** What the recorder stored: value and context, as JSON holds them. */
const view = (snapshot: ConversationSnapshot) =>
  JSON.parse(JSON.stringify({ value: snapshot.value, context: snapshot.context }));

const assistants = (c: ConversationContext) =>
  c.items.filter((item): item is AssistantItem => item.kind === 'assistant');
const tools = (c: ConversationContext) =>
  c.items.filter((item): item is ToolCallItem => item.kind === 'tool');
const tool = (c: ConversationContext, toolUseId: string) =>
  tools(c).find((item) => item.toolUseId === toolUseId);
const notices = (c: ConversationContext) =>
  c.items.filter((item): item is NoticeItem => item.kind === 'notice');
const textOf = (item: TimelineItem | undefined) =>
  item?.kind === 'assistant'
    ? item.blocks.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('')
    : '';
const typesOf = (entries: LogEntry[]) => entries.map((entry) => entry.event.type);

/** What each scenario must reach, read from today's fold: the recording did what it says. */
const expectations: Record<string, (s: ConversationSnapshot, entries: LogEntry[]) => void> = {
  'plain-answer': (s, entries) => {
    expect(s.value).toBe('idle');
    expect(s.context.items.map((item) => item.kind)).toEqual(['user', 'assistant']);
    const [answer] = assistants(s.context);
    expect(answer).toMatchObject({ status: 'complete', stopReason: 'end_turn' });
    const streamed = entries.flatMap((e) =>
      e.event.type === 'assistant.text_delta' ? [e.event.text] : [],
    );
    expect(streamed.length).toBeGreaterThan(1);
    expect(textOf(answer)).toBe(streamed.join(''));
  },
  approve: (s, entries) => {
    expect(s.value).toBe('idle');
    const call = tool(s.context, 'toolu_w1');
    expect(call?.decision).toEqual({
      status: 'approved',
      by: 'person',
      scope: 'once',
      editedInput: null,
    });
    const run = call?.run;
    expect(run?.status).toBe('completed');
    expect(run?.chunks).toBe(typesOf(entries).filter((type) => type === 'tool.chunk').length);
    expect(run?.chunks).toBeGreaterThan(2);
    // The chunks add up to the file Claude asked for, byte for byte.
    expect(run?.text).toBe(call?.input.content);
    const file = run?.result?.file;
    expect(file?.bytes).toBe(Buffer.byteLength(run?.text ?? ''));
    expect(file?.sha256).toBe(
      createHash('sha256')
        .update(run?.text ?? '')
        .digest('hex'),
    );
    expect(assistants(s.context).map((a) => a.status)).toEqual(['complete', 'complete']);
  },
  'deny-with-reason': (s, entries) => {
    expect(s.value).toBe('idle');
    expect(tool(s.context, 'toolu_d1')).toMatchObject({
      decision: { status: 'denied', reason: 'Not today' },
      run: null,
    });
    expect(typesOf(entries)).not.toContain('tool.started');
    const explanation = s.context.items.at(-1);
    expect(explanation).toMatchObject({ kind: 'assistant', status: 'complete' });
    expect(textOf(explanation)).toMatch(/will not write/);
  },
  'parallel-calls': (s) => {
    expect(s.value).toBe('idle');
    const calls = tools(s.context);
    expect(calls.map((call) => call.toolUseId)).toEqual(['toolu_p1', 'toolu_p2']);
    expect(calls[0]?.turn).toBe(calls[1]?.turn);
    expect(calls[0]).toMatchObject({
      decision: { status: 'approved', by: 'person' },
      run: { status: 'completed' },
    });
    expect(calls[1]).toMatchObject({
      decision: { status: 'denied', reason: 'Only a.md, please' },
      run: null,
    });
    expect(s.context.items.at(-1)).toMatchObject({ kind: 'assistant', status: 'complete' });
  },
  'always-allow-then-revoke': (s, entries) => {
    expect(s.value).toBe('idle');
    expect(
      tools(s.context).map((call) => [call.toolUseId, call.decision, call.run?.status]),
    ).toEqual([
      [
        'toolu_a1',
        { status: 'approved', by: 'person', scope: 'always', editedInput: null },
        'completed',
      ],
      [
        'toolu_a2',
        { status: 'approved', by: 'policy', scope: 'always', editedInput: null },
        'completed',
      ],
      [
        'toolu_a3',
        { status: 'approved', by: 'person', scope: 'once', editedInput: null },
        'completed',
      ],
    ]);
    // Nobody was asked about the second call; after the revoke the third was asked again.
    const approvals = entries.flatMap((e) =>
      e.event.type === 'tool.approve' ? [e.event.toolUseId] : [],
    );
    expect(approvals).toEqual(['toolu_a1', 'toolu_a3']);
    expect(notices(s.context).map((notice) => notice.code)).toEqual([
      'always_allow_granted',
      'always_allow_revoked',
    ]);
    const revokedAt = s.context.items.findIndex(
      (item) => item.kind === 'notice' && item.code === 'always_allow_revoked',
    );
    const askedAgainAt = s.context.items.findIndex(
      (item) => item.kind === 'tool' && item.toolUseId === 'toolu_a3',
    );
    expect(revokedAt).toBeGreaterThan(-1);
    expect(askedAgainAt).toBeGreaterThan(revokedAt);
    expect(s.context.alwaysAllowed).toEqual([]);
  },
  'stop-mid-stream': (s, entries) => {
    expect(s.value).toBe('idle');
    const [answer] = assistants(s.context);
    expect(answer?.status).toBe('stopped');
    expect(textOf(answer).length).toBeGreaterThan(0);
    expect(typesOf(entries)).not.toContain('assistant.completed');
    expect(entries.at(-1)?.event.type).toBe('turn.stop');
  },
  'stop-mid-tool': (s, entries) => {
    expect(s.value).toBe('idle');
    const run = tool(s.context, 'toolu_s1')?.run;
    expect(run?.status).toBe('cancelled');
    expect(run?.chunks).toBeGreaterThan(0);
    // Stopped part of the way through the file.
    expect(run?.progress).toBeLessThan(run?.total ?? 0);
    expect(entries.at(-1)?.event.type).toBe('turn.stop');
  },
  'claude-error-then-retry': (s, entries) => {
    expect(s.value).toBe('idle');
    const [broken, retried] = assistants(s.context);
    expect(broken).toMatchObject({
      status: 'failed',
      error: { kind: 'overloaded', retryable: true },
    });
    expect(textOf(broken).length).toBeGreaterThan(0);
    expect(retried).toMatchObject({ status: 'complete', turn: (broken?.turn ?? 0) + 1 });
    expect(typesOf(entries)).toContain('turn.retry');
  },
  // Written when refused commands were still logged: they are in the log, and fold to nothing.
  'refused-commands': (s, entries) => {
    expect(s.value).toBe('idle');
    expect(typesOf(entries).filter((type) => type === 'tool.approve')).toHaveLength(2);
    expect(tool(s.context, 'toolu_r1')).toMatchObject({
      decision: { status: 'approved', by: 'person', scope: 'once' },
      run: { status: 'completed', text: 'kept' },
    });
    expect(tool(s.context, 'toolu_nope')).toBeUndefined();
    expect(s.context.items.filter((item) => item.kind === 'user')).toHaveLength(1);
    expect(notices(s.context)).toEqual([]);
    expect(assistants(s.context).map((item) => item.status)).toEqual(['complete', 'complete']);
  },
  'restart-interrupted': (s) => {
    expect(s.value).toBe('failed');
    const [cut] = assistants(s.context);
    expect(cut).toMatchObject({
      status: 'failed',
      error: { kind: 'interrupted', retryable: true },
    });
    expect(textOf(cut).length).toBeGreaterThan(0);
  },
};

describe('golden logs', () => {
  it('cover every scenario, each recorded under its machine version', () => {
    expect(goldens.length).toBeGreaterThanOrEqual(Object.keys(expectations).length);
    expect(new Set(goldens.map((g) => g.log.scenario))).toEqual(new Set(Object.keys(expectations)));
    for (const { folder, name, log } of goldens) {
      expect(log.scenario).toBe(name);
      expect(folder).toBe(`v${log.recordedWith.machineVersion}`);
      expect(log.entries.every((e) => e.machineVersion === log.recordedWith.machineVersion)).toBe(
        true,
      );
    }
  });

  describe.each(goldens)('$path', ({ log }) => {
    it('folds to the snapshot recorded with it', () => {
      expect(view(replay(log.entries))).toEqual(log.snapshot);
    });

    it(`reaches what ${log.scenario} should`, () => {
      const check = expectations[log.scenario];
      expect(check, `no expectation for ${log.scenario}`).toBeDefined();
      check?.(replay(log.entries), log.entries);
    });
  });
});
