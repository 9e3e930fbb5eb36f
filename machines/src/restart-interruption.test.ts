import { describe, expect, it } from 'vitest';
import { createActor, fromCallback } from 'xstate';
import { conversationMachine, MACHINE_VERSION } from './conversation-machine.ts';
import type { ConversationEvent } from './events/conversation-event.ts';
import type { LogEntry } from './log-entry.ts';
import { replay } from './replay.ts';
import { restartInterruption } from './restart-interruption.ts';
import { messagesViolations } from './test-support/anthropic-request-rules.ts';
import * as ev from './test-support/event-builders.ts';
import { toClaudeMessages } from './to-claude-messages.ts';

function settle(events: ConversationEvent[]) {
  const log = [...events];
  const entries = (): LogEntry[] =>
    log.map((event, i) => ({
      conversationId: 'c',
      seq: i + 1,
      event,
      at: i,
      machineVersion: MACHINE_VERSION,
    }));
  let snapshot = replay(entries());
  for (let fact = restartInterruption(snapshot); fact; fact = restartInterruption(snapshot)) {
    log.push(fact);
    snapshot = replay(entries());
  }
  return { snapshot, appended: log.slice(events.length) };
}

describe('restartInterruption', () => {
  it('marks a turn cut mid-stream as interrupted and retryable, keeping the partial text', () => {
    const { snapshot, appended } = settle([
      ev.userMessage('Hi'),
      ev.started(1),
      ev.textDelta(1, 'Hel'),
    ]);
    expect(appended.map((e) => e.type)).toEqual(['assistant.failed']);
    expect(snapshot.value).toBe('failed');
    expect(snapshot.context.items[1]).toMatchObject({
      status: 'failed',
      error: { kind: 'interrupted', retryable: true },
    });
  });

  it('fails a cut tool run and every queued one, and leaves a valid request for the retry', () => {
    const { snapshot, appended } = settle([
      ev.userMessage('Write two files'),
      ev.toolUse(1, 0, 't1', 'write_file', { path: 'a' }),
      ev.toolUse(1, 1, 't2', 'write_file', { path: 'b' }),
      ev.completed(1, 'tool_use'),
      ev.approve('t1'),
      ev.approve('t2'),
      ev.toolStarted('t1'),
    ]);
    expect(appended.map((e) => e.type)).toEqual(['tool.failed', 'tool.failed', 'assistant.failed']);
    expect(snapshot.value).toBe('failed');
    expect(messagesViolations(toClaudeMessages(snapshot.context))).toEqual([]);
    const results = toClaudeMessages(snapshot.context).at(-1)?.content;
    expect(results?.every((block) => block.type === 'tool_result' && block.is_error)).toBe(true);
  });

  it('leaves a pending approval pending, and a live actor restored from it starts no IO', () => {
    const { snapshot, appended } = settle([
      ev.userMessage('Write'),
      ev.toolUse(1, 0, 't1', 'write_file', { path: 'a' }),
      ev.completed(1, 'tool_use'),
    ]);
    expect(appended).toEqual([]);
    expect(snapshot.value).toBe('awaitingApproval');
    const started: string[] = [];
    const live = conversationMachine.provide({
      actors: {
        claude: fromCallback(() => void started.push('claude')),
        tool: fromCallback(() => void started.push('tool')),
      },
    });
    const actor = createActor(live, { snapshot }).start();
    expect(started).toEqual([]);
    actor.send(ev.approve('t1'));
    expect(started).toEqual(['tool']);
  });
});
