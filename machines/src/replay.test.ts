import { describe, expect, it } from 'vitest';
import { createActor, type SnapshotFrom } from 'xstate';
import { MACHINE_VERSION } from './conversation-machine.ts';
import type { ConversationEvent } from './events/conversation-event.ts';
import { inertConversationMachine } from './inert-conversation-machine.ts';
import { ReplayError, replay } from './replay.ts';
import { approvalFlowEdges } from './test-support/approval-flow-edges.ts';
import * as ev from './test-support/event-builders.ts';
import { eventsFor, generatedPaths } from './test-support/generated-paths.ts';
import { logOf } from './test-support/log-of.ts';

type Snapshot = SnapshotFrom<typeof inertConversationMachine>;

const view = (snapshot: Snapshot) => ({ value: snapshot.value, context: snapshot.context });

// Every shortest path to every abstract state, each extended by every event that state accepts
// or refuses: so every state is walked and every transition out of it is taken.
const paths = generatedPaths().flatMap((path) => {
  const events = path.steps
    .map((step) => step.event as { type: string })
    .filter((e): e is ConversationEvent => e.type !== 'xstate.init');
  return eventsFor(path.state).map((next) => [...events, next]);
});

describe('generated paths', () => {
  it('reach every state of the machine and take every transition it defines', () => {
    const states = new Set<string>();
    const taken = new Set<string>();
    for (const events of paths) {
      const actor = createActor(inertConversationMachine, {
        // Every transition XState actually takes, microstep by microstep (always included).
        inspect: (inspection) => {
          if (inspection.type !== '@xstate.microstep') return;
          for (const transition of inspection._transitions) {
            for (const target of transition.target ?? []) {
              taken.add(`${transition.source.key} -> ${target.key}`);
            }
          }
        },
      }).start();
      for (const event of events) {
        actor.send(event);
        states.add(String(actor.getSnapshot().value));
      }
    }
    expect([...states].sort()).toEqual(Object.keys(inertConversationMachine.root.states).sort());
    for (const edge of approvalFlowEdges()) expect(taken).toContain(edge);
    expect(paths.length).toBeGreaterThan(200);
    // About 3 s alone; a shared, busy machine (a CI run beside it) takes longer.
  }, 60_000);

  it('the live actor and the replay of its log agree after every event', () => {
    for (const events of paths) {
      const actor = createActor(inertConversationMachine).start();
      const entries = logOf(events);
      let folded = replay([]);
      entries.forEach((entry, i) => {
        actor.send(entry.event);
        const live = actor.getSnapshot();
        folded = replay([entry], { snapshot: folded, seq: i });
        expect(view(folded)).toEqual(view(live));
      });
      // And the whole log at once, where runs of deltas are merged.
      expect(view(replay(entries))).toEqual(view(actor.getSnapshot()));
    }
  }, 60_000);
});

describe('replay of runs of deltas', () => {
  it('reaches the state of folding them one by one, whatever breaks the runs', () => {
    const events: ConversationEvent[] = [
      ev.userMessage('Think, write, then call two tools'),
      ev.started(1),
      ev.thinkingDelta(1, 'Let me '),
      ev.thinkingDelta(1, 'think.'),
      ev.thinkingSignature(1, 'sig'),
      ev.textDelta(1, 'Here', 1),
      ev.textDelta(1, ' it', 1),
      ev.textDelta(2, ' (a stale turn)', 1),
      ev.textDelta(1, ' is.', 1),
      ev.textDelta(1, ' (an earlier block)', 0),
      ev.toolInputDelta(1, 2, 'toolu_a', 'write_file', ''),
      ev.toolInputDelta(1, 2, 'toolu_a', 'write_file', '{"path":'),
      ev.toolInputDelta(1, 2, 'toolu_b', 'write_file', '"wrong id"'),
      ev.toolInputDelta(1, 2, 'toolu_a', 'write_file', '"a.md"}'),
      ev.toolUse(1, 2, 'toolu_a', 'write_file', { path: 'a.md' }),
      ev.toolInputDelta(1, 3, 'toolu_c', 'read_file', '{"path"'),
      ev.toolInputDelta(1, 3, 'toolu_c', 'read_file', ':"b.md"}'),
      ev.stop(),
      ev.textDelta(1, 'after stop', 4),
      ev.textDelta(1, ' ignored', 4),
    ];
    const actor = createActor(inertConversationMachine).start();
    for (const event of events) actor.send(event);
    const folded = replay(logOf(events));
    expect(view(folded)).toEqual(view(actor.getSnapshot()));
    expect(folded.context.items[1]).toMatchObject({
      blocks: [
        { type: 'thinking', thinking: 'Let me think.', signature: 'sig' },
        { type: 'text', text: 'Here it is.' },
        { type: 'tool_use', id: 'toolu_a', partialJson: '{"path":"a.md"}' },
        { type: 'tool_use', id: 'toolu_c', partialJson: '{"path":"b.md"}' },
      ],
    });
  });
});

describe('replay', () => {
  const events = [ev.userMessage('Hi'), ev.started(1), ev.textDelta(1, 'Hello'), ev.completed(1)];

  it('continues from a checkpoint to the same state as a full replay', () => {
    const entries = logOf(events);
    const checkpoint = { snapshot: replay(entries.slice(0, 2)), seq: 2 };
    expect(view(replay(entries.slice(2), checkpoint))).toEqual(view(replay(entries)));
  });

  it('refuses a log with a gap, and one written by a newer machine', () => {
    const entries = logOf(events);
    expect(() => replay([entries[0]!, entries[2]!])).toThrow(ReplayError);
    expect(() => replay([{ ...entries[0]!, machineVersion: MACHINE_VERSION + 1 }])).toThrow(
      /machine version/,
    );
  });

  it('folds the same events to the same state every time', () => {
    const entries = logOf(events);
    expect(view(replay(entries))).toEqual(view(replay(entries)));
    expect(replay(entries).value).toBe('idle');
  });
});
