import { describe, expect, it } from 'vitest';
import { createActor, fromCallback } from 'xstate';
import type { ApprovalTimerRequest } from './approval-expiry.ts';
import { conversationMachine, MACHINE_VERSION } from './conversation-machine.ts';
import type { ConversationEvent } from './events/conversation-event.ts';
import type { LogEntry } from './log-entry.ts';
import { replay } from './replay.ts';
import { resumableSnapshot } from './resumable-snapshot.ts';
import { messagesViolations } from './test-support/anthropic-request-rules.ts';
import * as ev from './test-support/event-builders.ts';
import { findToolCall } from './timeline-queries.ts';
import { toClaudeMessages } from './to-claude-messages.ts';

const DEADLINE = 1_700_000_090_000;
const input = { path: 'notes/a.md', content: '# Notes\n' };

/** A live actor whose approval timer records what it is asked, and when it is stopped. */
function live(from?: ReturnType<typeof resumableSnapshot>) {
  const timers: ApprovalTimerRequest[] = [];
  let timersStopped = 0;
  const machine = conversationMachine.provide({
    actors: {
      approvalTimer: fromCallback<ConversationEvent, ApprovalTimerRequest>(({ input }) => {
        timers.push(input);
        return () => {
          timersStopped += 1;
        };
      }),
    },
  });
  const actor = createActor(machine, from ? { snapshot: from } : {});
  actor.start();
  return {
    actor,
    timers,
    stopped: () => timersStopped,
    send(...events: ConversationEvent[]) {
      for (const event of events) actor.send(event);
    },
  };
}

function entries(events: ConversationEvent[]): LogEntry[] {
  return events.map((event, i) => ({
    conversationId: 'c',
    seq: i + 1,
    event,
    at: i,
    machineVersion: MACHINE_VERSION,
  }));
}

/** Claude asked for two writes in turn 1; their approval expires at DEADLINE. */
const asked: ConversationEvent[] = [
  ev.userMessage('Write my notes'),
  ev.started(1),
  ev.toolUse(1, 0, 'toolu_a', 'write_file', input),
  ev.toolUse(1, 1, 'toolu_b', 'read_file', { path: 'notes/a.md' }),
  ev.completedExpiring(1, DEADLINE),
];

describe('approval expiry', () => {
  it('keeps the deadline in the context and hands it to the timer while calls wait', () => {
    const c = live();
    c.send(...asked);
    const snapshot = c.actor.getSnapshot();
    expect(snapshot.value).toBe('awaitingApproval');
    expect(snapshot.context.approvalExpiresAt).toBe(DEADLINE);
    expect(c.timers).toEqual([{ turn: 1, expiresAt: DEADLINE }]);
  });

  it('without a deadline, the calls wait for ever: the timer is given none', () => {
    const c = live();
    c.send(...asked.slice(0, -1), ev.completed(1, 'tool_use'));
    expect(c.actor.getSnapshot().context).not.toHaveProperty('approvalExpiresAt');
    expect(c.timers).toEqual([{ turn: 1, expiresAt: null }]);
  });

  it('records every waiting call as expired and tells Claude, as a denial does', () => {
    const c = live();
    c.send(...asked, ev.approvalExpired(1));
    const snapshot = c.actor.getSnapshot();
    expect(snapshot.value).toBe('resuming');
    expect(c.stopped()).toBe(1);
    expect(snapshot.context.approvalExpiresAt).toBeUndefined();
    for (const id of ['toolu_a', 'toolu_b']) {
      expect(findToolCall(snapshot.context, id)?.decision).toEqual({ status: 'expired' });
    }
    const messages = toClaudeMessages(snapshot.context);
    expect(messagesViolations(messages)).toEqual([]);
    const results = messages.at(-1)?.content;
    expect(results).toEqual([
      expect.objectContaining({ tool_use_id: 'toolu_a', is_error: true }),
      expect.objectContaining({ tool_use_id: 'toolu_b', is_error: true }),
    ]);
    expect(JSON.stringify(results)).toContain('expired: nobody decided in time');
  });

  it('expires only what still waits: an approved call runs, then Claude hears of both', () => {
    const c = live();
    c.send(...asked, ev.approve('toolu_a'), ev.approvalExpired(1));
    const snapshot = c.actor.getSnapshot();
    expect(snapshot.value).toBe('executingTool');
    expect(findToolCall(snapshot.context, 'toolu_a')?.decision.status).toBe('approved');
    expect(findToolCall(snapshot.context, 'toolu_b')?.decision).toEqual({ status: 'expired' });
  });

  it('refuses a stale expiry: another turn, or nothing left to decide', () => {
    const c = live();
    c.send(...asked);
    expect(c.actor.getSnapshot().can(ev.approvalExpired(2))).toBe(false);
    expect(c.actor.getSnapshot().can(ev.approvalExpired(1))).toBe(true);
    c.send(ev.deny('toolu_a'), ev.deny('toolu_b'));
    expect(c.actor.getSnapshot().value).toBe('resuming');
    expect(c.actor.getSnapshot().can(ev.approvalExpired(1))).toBe(false);
  });

  it('a decision after the expiry is refused: the expiry decided first', () => {
    const c = live();
    c.send(...asked, ev.approvalExpired(1));
    expect(c.actor.getSnapshot().can(ev.approve('toolu_a'))).toBe(false);
  });

  it('folds the same in a replay, whose timer never fires', () => {
    const events = [...asked, ev.approve('toolu_a'), ev.approvalExpired(1)];
    const c = live();
    c.send(...events);
    const replayed = replay(entries(events));
    expect(replayed.value).toEqual(c.actor.getSnapshot().value);
    expect(replayed.context).toEqual(c.actor.getSnapshot().context);
  });

  it('a conversation rebuilt while calls wait starts its timer with the same deadline', () => {
    const folded = replay(entries(asked));
    expect(folded.value).toBe('awaitingApproval');
    const c = live(resumableSnapshot(folded));
    expect(c.timers).toEqual([{ turn: 1, expiresAt: DEADLINE }]);
    expect(c.actor.getSnapshot().context).toEqual(folded.context);
    c.send(ev.approvalExpired(1));
    expect(c.actor.getSnapshot().value).toBe('resuming');
  });
});
