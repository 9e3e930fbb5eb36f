import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { commandRejection } from './command-rejection.ts';
import type { ConversationTag } from './conversation-machine.ts';
import type { ConversationEvent } from './events/conversation-event.ts';
import { inertConversationMachine } from './inert-conversation-machine.ts';
import * as ev from './test-support/event-builders.ts';

/** The inert machine after these events: what the server judges a command against. */
function after(...events: ConversationEvent[]) {
  const actor = createActor(inertConversationMachine);
  actor.start();
  for (const event of events) actor.send(event);
  return actor;
}

const streaming = [ev.userMessage('Write my notes'), ev.started(1), ev.textDelta(1, 'Sure')];
const awaiting = [
  ...streaming,
  ev.toolUse(1, 1, 'toolu_1', 'write_file', { path: 'a.md', content: 'x' }),
  ev.completed(1, 'tool_use'),
];

describe('judging a command before it is logged', () => {
  it('takes what the machine can take, and says why it refuses the rest', () => {
    const idle = after().getSnapshot();
    expect(commandRejection(idle, ev.userMessage('Hello'))).toBeNull();
    expect(commandRejection(idle, ev.stop())?.code).toBe('nothing_to_stop');
    expect(commandRejection(idle, ev.retry())?.code).toBe('nothing_to_retry');
    expect(commandRejection(idle, ev.approve('toolu_1'))?.code).toBe('unknown_tool_use');
    expect(commandRejection(idle, ev.revoke('write_file'))?.code).toBe('not_always_allowed');

    const busy = after(...streaming).getSnapshot();
    expect(commandRejection(busy, ev.userMessage('And?'))).toMatchObject({
      code: 'busy',
      message: expect.stringContaining('still working'),
    });
    expect(commandRejection(busy, ev.stop())).toBeNull();

    const waiting = after(...awaiting).getSnapshot();
    expect(commandRejection(waiting, ev.userMessage('And?'))).toMatchObject({
      code: 'busy',
      message: expect.stringContaining('decision'),
    });
    expect(commandRejection(waiting, ev.deny('toolu_1'))).toBeNull();
    expect(commandRejection(waiting, ev.approve('toolu_2'))?.code).toBe('unknown_tool_use');
  });

  it('refuses a second decision on a call: the first one stands', () => {
    const actor = after(...awaiting, ev.deny('toolu_1', 'not now'));
    expect(commandRejection(actor.getSnapshot(), ev.approve('toolu_1'))).toMatchObject({
      code: 'already_decided',
      message: expect.stringContaining('first decision stands'),
    });
  });

  it('agrees with the machine: a command it refuses changes nothing even when sent anyway', () => {
    for (const [events, command] of [
      [[], ev.stop()],
      [[], ev.approve('toolu_1')],
      [streaming, ev.userMessage('And?')],
      [awaiting, ev.approve('toolu_9')],
      [[...awaiting, ev.deny('toolu_1')], ev.retry()],
    ] as const) {
      const actor = after(...events);
      const before = actor.getSnapshot();
      expect(commandRejection(before, command)).not.toBeNull();
      actor.send(command);
      expect(actor.getSnapshot().value).toEqual(before.value);
      expect(actor.getSnapshot().context).toBe(before.context);
    }
  });
});

describe('what the states mean (tags)', () => {
  it('marks rest, work and an open composer on the machine itself', () => {
    const tags = (...events: ConversationEvent[]) => {
      const snapshot = after(...events).getSnapshot();
      const all: ConversationTag[] = ['atRest', 'working', 'acceptsMessages'];
      return [String(snapshot.value), all.filter((tag) => snapshot.hasTag(tag))];
    };
    expect(tags()).toEqual(['idle', ['atRest', 'acceptsMessages']]);
    expect(tags(...streaming)).toEqual(['streaming', ['working']]);
    expect(tags(...awaiting)).toEqual(['awaitingApproval', ['atRest']]);
    expect(tags(...awaiting, ev.approve('toolu_1'))).toEqual(['executingTool', ['working']]);
    expect(tags(...awaiting, ev.deny('toolu_1'))).toEqual(['resuming', ['working']]);
    expect(tags(...streaming, ev.failed(1))).toEqual(['failed', ['atRest', 'acceptsMessages']]);
  });
});
