import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { createDeltaRuns } from './delta-runs.ts';
import type { ConversationEvent } from './events/conversation-event.ts';
import { inertConversationMachine } from './inert-conversation-machine.ts';
import * as ev from './test-support/event-builders.ts';
import { findToolCall } from './timeline-queries.ts';

const input = { path: 'notes/a.md', content: '…' };

/** Two approved calls of the file tool, the first started: its chunks are next. */
const running = [
  ev.userMessage('Write my notes'),
  ev.started(1),
  ev.toolUse(1, 1, 'toolu_1', 'write_file', input),
  ev.toolUse(1, 2, 'toolu_2', 'write_file', input),
  ev.completed(1, 'tool_use'),
  ev.approve('toolu_1'),
  ev.approve('toolu_2'),
  ev.toolStarted('toolu_1'),
];

const chunk = (toolUseId: string, index: number) =>
  ev.toolChunk(toolUseId, index, `<${toolUseId}:${index}>`, (index + 1) * 10, 100);

/** Folds `events` one at a time, or through delta runs; returns the state and how many it sent. */
function fold(events: readonly ConversationEvent[], merged: boolean) {
  const actor = createActor(inertConversationMachine);
  actor.start();
  let sent = 0;
  const send = (event: ConversationEvent) => {
    sent += 1;
    actor.send(event);
  };
  if (merged) {
    const runs = createDeltaRuns(send, (event) => actor.getSnapshot().can(event));
    for (const event of events) runs.push(event);
    runs.release();
  } else {
    for (const event of events) send(event);
  }
  const { value, context } = actor.getSnapshot();
  actor.stop();
  return { value, context, sent };
}

/** The logs a fold must agree on, whatever runs of chunks they hold. */
const LOGS: Record<string, ConversationEvent[]> = {
  'chunks in order, then the result': [
    ...running,
    ...[0, 1, 2, 3, 4].map((i) => chunk('toolu_1', i)),
    ev.toolCompleted('toolu_1'),
  ],
  'a duplicate in the middle of a run': [
    ...running,
    ...[0, 1, 2, 2, 3].map((i) => chunk('toolu_1', i)),
  ],
  'a stale chunk before the ones the run takes': [
    ...running,
    ...[0, 1].map((i) => chunk('toolu_1', i)),
    { type: 'tool.progress', toolUseId: 'toolu_1', progress: 25 },
    ...[1, 2, 3].map((i) => chunk('toolu_1', i)),
  ],
  'a gap, and the chunks after it': [
    ...running,
    ...[0, 1, 3, 4, 2, 3].map((i) => chunk('toolu_1', i)),
  ],
  "another call's chunks, and the next call's after the first completes": [
    ...running,
    chunk('toolu_2', 0),
    ...[0, 1].map((i) => chunk('toolu_1', i)),
    chunk('toolu_2', 0),
    ev.toolCompleted('toolu_1'),
    ev.toolStarted('toolu_2'),
    ...[0, 1, 2].map((i) => chunk('toolu_2', i)),
  ],
  'chunks before the call starts, and after it is stopped': [
    ...running.slice(0, -1),
    ...[0, 1].map((i) => chunk('toolu_1', i)),
    ev.toolStarted('toolu_1'),
    ...[0, 1].map((i) => chunk('toolu_1', i)),
    ev.stop(),
    ...[2, 3].map((i) => chunk('toolu_1', i)),
  ],
  'chunks with a message, the last without one': [
    ...running,
    chunk('toolu_1', 0),
    chunk('toolu_1', 1),
    (({ message: _none, ...bare }) => bare)(chunk('toolu_1', 2)),
  ],
  'chunks without a message, the last with one': [
    ...running,
    ...[0, 1].map((i) => {
      const { message: _none, ...bare } = chunk('toolu_1', i);
      return bare;
    }),
    chunk('toolu_1', 2),
  ],
};

describe('runs of chunks folded as one', () => {
  it.each(Object.entries(LOGS))('give the state chunk-by-chunk gives: %s', (_name, events) => {
    const one = fold(events, false);
    const merged = fold(events, true);
    expect(merged.value).toEqual(one.value);
    expect(merged.context).toEqual(one.context);
  });

  it('run the machine once for a run of chunks, with every chunk counted', () => {
    const events = [...running, ...[0, 1, 2, 3, 4].map((i) => chunk('toolu_1', i))];
    const merged = fold(events, true);
    expect(merged.sent).toBe(running.length + 1);
    expect(findToolCall(merged.context, 'toolu_1')?.run).toMatchObject({
      chunks: 5,
      text: '<toolu_1:0><toolu_1:1><toolu_1:2><toolu_1:3><toolu_1:4>',
      progress: 50,
      message: 'Chunk 5 received',
    });
  });
});
