import { describe, expect, it } from 'vitest';
import { createConversationMirror } from './browser-mirror.ts';
import { MACHINE_VERSION } from './conversation-machine.ts';
import type { ConversationEvent } from './events/conversation-event.ts';
import type { LogEntry } from './log-entry.ts';
import { replay } from './replay.ts';
import * as ev from './test-support/event-builders.ts';
import { logOf } from './test-support/log-of.ts';
import type { UpcasterTable } from './upcast.ts';

const entry = (seq: number, event: ConversationEvent): LogEntry => ({
  conversationId: 'c1',
  seq,
  event,
  at: 1_764_000_000_000 + seq,
  machineVersion: MACHINE_VERSION,
});

describe('the browser mirror', () => {
  const log = [
    entry(1, ev.userMessage('Write notes/a.md')),
    entry(2, ev.started(1)),
    entry(3, ev.toolUse(1, 0, 'toolu_1', 'write_file', { path: 'notes/a.md', content: 'hi' })),
    entry(4, ev.completed(1, 'tool_use')),
  ];

  it('reaches the server state from the entries alone, and never starts IO of its own', () => {
    const mirror = createConversationMirror();
    for (const e of log) expect(mirror.receive(e)).toBe('applied');
    const snapshot = mirror.actor.getSnapshot();
    expect(snapshot.value).toBe('awaitingApproval');
    expect(snapshot.context).toEqual(replay(log).context);
    expect(mirror.lastSeq()).toBe(4);
  });

  it("tells its actor's observers which event made each snapshot", () => {
    const mirror = createConversationMirror();
    const seen: (string | undefined)[] = [];
    mirror.actor.subscribe(() => seen.push(mirror.lastEvent()?.type));
    expect(mirror.lastEvent()).toBeNull();
    for (const e of log) mirror.receive(e);
    expect(seen).toEqual(log.map((e) => e.event.type));
    mirror.receive(log[1]!);
    expect(mirror.lastEvent()).toBe(log[3]?.event);
  });

  it('folds held runs of deltas as one event each, to the same state, once settled', () => {
    const answer = [
      entry(1, ev.userMessage('Tell me')),
      entry(2, ev.started(1)),
      ...['Once ', 'upon ', 'a ', 'time.'].map((text, i) => entry(3 + i, ev.textDelta(1, text))),
      entry(7, ev.completed(1, 'end_turn')),
      entry(8, ev.userMessage('More')),
      entry(9, ev.started(2)),
      ...['The ', 'end'].map((text, i) => entry(10 + i, ev.textDelta(2, text))),
    ];
    const mirror = createConversationMirror();
    const seen: ConversationEvent[] = [];
    mirror.actor.subscribe(() => seen.push(mirror.lastEvent()!));
    for (const e of answer) expect(mirror.receive(e, { hold: true })).toBe('applied');
    // The last run is still held: the actor has not seen "The end" yet.
    expect(seen.map((event) => event.type)).toEqual([
      'user.message',
      'assistant.started',
      'assistant.text_delta',
      'assistant.completed',
      'user.message',
      'assistant.started',
    ]);
    expect(seen[2]).toMatchObject({ text: 'Once upon a time.' });
    mirror.settle();
    expect(seen.at(-1)).toMatchObject({ type: 'assistant.text_delta', text: 'The end' });
    expect(mirror.actor.getSnapshot().context).toEqual(replay(answer).context);
    expect(mirror.lastSeq()).toBe(11);
    // An entry received without holding folds what is held first.
    mirror.receive(entry(12, ev.textDelta(2, '!')), { hold: true });
    mirror.receive(entry(13, ev.completed(2, 'end_turn')));
    expect(seen.slice(-2).map((event) => event.type)).toEqual([
      'assistant.text_delta',
      'assistant.completed',
    ]);
  });

  it('ignores a duplicate and reports a gap instead of folding a wrong state', () => {
    const mirror = createConversationMirror();
    mirror.receive(log[0]!);
    mirror.receive(log[1]!);
    expect(mirror.receive(log[1]!)).toBe('duplicate');
    expect(mirror.receive(log[3]!)).toBe('gap');
    expect(mirror.actor.getSnapshot().value).toBe('streaming');
    expect(mirror.lastSeq()).toBe(2);
    expect(mirror.receive(log[2]!)).toBe('applied');
  });

  it("refuses an entry of a newer machine than the page's, and stays as it was", () => {
    const mirror = createConversationMirror();
    mirror.receive(log[0]!);
    const before = mirror.actor.getSnapshot();
    expect(mirror.receive({ ...log[1]!, machineVersion: MACHINE_VERSION + 1 })).toBe('newer');
    // Even where a duplicate would be ignored: the page cannot read it in any position.
    expect(mirror.receive({ ...log[0]!, machineVersion: MACHINE_VERSION + 1 })).toBe('newer');
    expect(mirror.actor.getSnapshot()).toBe(before);
    expect(mirror.lastSeq()).toBe(1);
    expect(mirror.lastEvent()).toBe(log[0]?.event);
  });

  it('folds an entry of an older machine as its upcast events, so it means what it meant', () => {
    // A made-up version 2 that reads version 1's user messages as marked with their origin.
    const upcasters: UpcasterTable = {
      1: (event) =>
        event.type === 'user.message' ? [{ ...event, text: `${event.text} (from v1)` }] : [event],
    };
    const mirror = createConversationMirror({ machineVersion: 2, upcasters });
    const v1 = { ...entry(1, ev.userMessage('Hi')), machineVersion: 1 };
    expect(mirror.receive(v1)).toBe('applied');
    expect(mirror.lastEvent()).toMatchObject({ type: 'user.message', text: 'Hi (from v1)' });
    expect(mirror.actor.getSnapshot().context.items[0]).toMatchObject({
      kind: 'user',
      text: 'Hi (from v1)',
    });
    // An entry of the page's own version goes in as written.
    const v2 = { ...entry(2, ev.started(1)), machineVersion: 2 };
    expect(mirror.receive(v2)).toBe('applied');
    expect(mirror.lastEvent()).toBe(v2.event);
    expect(mirror.receive({ ...entry(3, ev.completed(1, 'end_turn')), machineVersion: 3 })).toBe(
      'newer',
    );
    expect(mirror.lastSeq()).toBe(2);
  });

  describe('from a checkpoint', () => {
    /** A question, then Claude asks to write `path`, is approved, and the file is written. */
    const write = (turn: number, toolUseId: string, path: string, content: string) => [
      ev.userMessage(`Write ${path}`),
      ev.started(turn),
      ev.toolUse(turn, 0, toolUseId, 'write_file', { path, content }),
      ev.completed(turn, 'tool_use'),
      ev.approve(toolUseId),
      ev.toolStarted(toolUseId),
      ev.toolChunk(toolUseId, 0, content, content.length, content.length),
      ev.toolCompleted(toolUseId),
    ];
    // Two files written, each followed by Claude's answer: the conversation rests at seq 11
    // (idle, the first answered) and at seq 15 (awaiting approval of the second file).
    const long = logOf([
      ...write(1, 'toolu_1', 'notes/a.md', 'hi'),
      ev.started(2),
      ev.textDelta(2, 'Done.'),
      ev.completed(2, 'end_turn'),
      ...write(3, 'toolu_2', 'notes/b.md', 'b'),
      ev.started(4),
      ...['Both ', 'are ', 'written.'].map((text) => ev.textDelta(4, text)),
      ev.completed(4, 'end_turn'),
    ]);
    /** A checkpoint as the server sends it: the fold of the first `seq` entries, over the wire. */
    const checkpointAt = (seq: number) => {
      const { value, context } = replay(long.slice(0, seq));
      return {
        seq,
        machineVersion: MACHINE_VERSION,
        snapshot: JSON.parse(JSON.stringify({ value, context })),
      };
    };

    it.each([
      [11, 'idle'],
      [15, 'awaitingApproval'],
    ])(
      "starts from the one at seq %i (%s), then folds the entries after it to the whole log's state",
      (seq, state) => {
        const mirror = createConversationMirror();
        expect(mirror.restore(checkpointAt(seq))).toBe('applied');
        expect(mirror.actor.getSnapshot().value).toBe(state);
        expect(mirror.lastSeq()).toBe(seq);
        for (const e of long.slice(seq)) expect(mirror.receive(e, { hold: true })).toBe('applied');
        mirror.settle();
        const whole = replay(long);
        expect(mirror.actor.getSnapshot().value).toBe(whole.value);
        expect(mirror.actor.getSnapshot().context).toEqual(whole.context);
        expect(mirror.lastSeq()).toBe(long.length);
      },
    );

    it("hands its observers the checkpoint's state, and they go on seeing each entry after it", () => {
      const mirror = createConversationMirror();
      const seen: [string, string | undefined][] = [];
      mirror.actor.subscribe((snapshot) =>
        seen.push([String(snapshot.value), mirror.lastEvent()?.type]),
      );
      mirror.receive(long[0]!);
      mirror.restore(checkpointAt(15));
      mirror.receive(long[15]!);
      expect(seen).toEqual([
        ['streaming', 'user.message'],
        ['awaitingApproval', undefined],
        ['executingTool', 'tool.approve'],
      ]);
    });

    it('drops a run of deltas held for the state it replaces', () => {
      const mirror = createConversationMirror();
      for (const e of long.slice(0, 10)) mirror.receive(e, { hold: true });
      expect(mirror.restore(checkpointAt(11))).toBe('applied');
      mirror.settle();
      expect(mirror.actor.getSnapshot().context).toEqual(replay(long.slice(0, 11)).context);
    });

    it("drops a tool's chunks held for the state it replaces, and says it holds them until then", () => {
      const mirror = createConversationMirror();
      // Entries 1 to 7: the first file's call, approved and started, and its one chunk.
      for (const e of long.slice(0, 7)) mirror.receive(e, { hold: true });
      expect(mirror.holding()).toBe('tool.chunk');
      expect(mirror.restore(checkpointAt(11))).toBe('applied');
      expect(mirror.holding()).toBeNull();
      mirror.settle();
      expect(mirror.actor.getSnapshot().context).toEqual(replay(long.slice(0, 11)).context);
    });

    it('takes none that is no newer than what it has, nor one of another machine', () => {
      const mirror = createConversationMirror();
      for (const e of long.slice(0, 12)) mirror.receive(e);
      const before = mirror.actor.getSnapshot();
      expect(mirror.restore(checkpointAt(11))).toBe('stale');
      expect(mirror.restore(checkpointAt(12))).toBe('stale');
      expect(mirror.restore({ ...checkpointAt(15), machineVersion: MACHINE_VERSION + 1 })).toBe(
        'newer',
      );
      const older = createConversationMirror({ machineVersion: MACHINE_VERSION + 1 });
      expect(older.restore(checkpointAt(15))).toBe('other_version');
      expect(mirror.actor.getSnapshot()).toBe(before);
      expect(mirror.lastSeq()).toBe(12);
    });
  });
});
