import type { FactEvent } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  createApprovalTimerActor,
  withApprovalDeadline,
} from '../../src/conversations/approval-timer.ts';
import { readApprovalTtl } from '../../src/conversations/approval-ttl.ts';

function timer(now: number, expiresAt: number | null) {
  const facts: FactEvent[] = [];
  let reported: () => void = () => undefined;
  const reportedOnce = new Promise<void>((resolve) => {
    reported = resolve;
  });
  const logic = createApprovalTimerActor({
    clock: () => now,
    dispatchFor: () => (fact) => {
      facts.push(fact);
      reported();
    },
  });
  const actor = createActor(logic, { input: { turn: 3, expiresAt } });
  actor.start();
  return { facts, actor, reportedOnce };
}

describe('the approval timer', () => {
  it('reports a deadline already past at once (a restart, a failover)', async () => {
    const t = timer(10_000, 9_000);
    await t.reportedOnce;
    expect(t.facts).toEqual([{ type: 'approval.expired', turn: 3 }]);
  });

  it('reports nothing once stopped (the calls were decided), nor without a deadline', async () => {
    const stopped = timer(10_000, 9_000);
    stopped.actor.stop();
    const none = timer(10_000, null);
    // A later report of its own shows the earlier timers had their turn and stayed silent.
    const later = timer(10_000, 9_500);
    await later.reportedOnce;
    expect(stopped.facts).toEqual([]);
    expect(none.facts).toEqual([]);
  });
});

describe('the approval deadline', () => {
  it('is stamped on the completion of a turn, from the clock and APPROVAL_TTL', () => {
    const seen: FactEvent[] = [];
    const dispatchFor = withApprovalDeadline(
      () => (fact) => seen.push(fact),
      90_000,
      () => 1_000,
    );
    const dispatch = dispatchFor({});
    const usage = {
      inputTokens: 1,
      outputTokens: 1,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
    };
    dispatch({ type: 'assistant.completed', turn: 1, stopReason: 'tool_use', usage });
    dispatch({ type: 'assistant.started', turn: 2, messageId: 'm', model: 'claude' });
    expect(seen).toEqual([
      { type: 'assistant.completed', turn: 1, stopReason: 'tool_use', usage, expiresAt: 91_000 },
      { type: 'assistant.started', turn: 2, messageId: 'm', model: 'claude' },
    ]);
  });

  it('is not stamped when approvals do not expire', () => {
    const dispatchFor = () => () => undefined;
    expect(withApprovalDeadline(dispatchFor, null, () => 0)).toBe(dispatchFor);
  });
});

describe('APPROVAL_TTL', () => {
  it('reads durations and bare seconds; unset or 0 is off', () => {
    expect(readApprovalTtl(undefined)).toEqual({ ok: true, ms: null });
    expect(readApprovalTtl(' ')).toEqual({ ok: true, ms: null });
    expect(readApprovalTtl('0')).toEqual({ ok: true, ms: null });
    expect(readApprovalTtl('0s')).toEqual({ ok: true, ms: null });
    expect(readApprovalTtl('90s')).toEqual({ ok: true, ms: 90_000 });
    expect(readApprovalTtl('10m')).toEqual({ ok: true, ms: 600_000 });
    expect(readApprovalTtl('1h')).toEqual({ ok: true, ms: 3_600_000 });
    expect(readApprovalTtl('2d')).toEqual({ ok: true, ms: 172_800_000 });
    expect(readApprovalTtl('45')).toEqual({ ok: true, ms: 45_000 });
  });

  it('refuses anything else with a sentence that says what it takes', () => {
    for (const raw of ['abc', '-5', '1.5m', '10x', '8d', 'm']) {
      const result = readApprovalTtl(raw);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problem).toContain('APPROVAL_TTL');
    }
  });
});
