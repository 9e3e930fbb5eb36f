import { describe, expect, it } from 'vitest';
import { MACHINE_VERSION } from './conversation-machine.ts';
import type { ConversationEvent } from './events/conversation-event.ts';
import type { LogEntry } from './log-entry.ts';
import { type ConversationSnapshot, ReplayError, replay } from './replay.ts';
import * as ev from './test-support/event-builders.ts';
import { type LoggedEvent, UPCASTERS, type UpcasterTable, upcast } from './upcast.ts';

// A made-up history, so the mechanism is tested before the first real bump: in "version 1" a
// denial was `tool.reject` with its reason in `why`, and a tool that ran was one `tool.finished`;
// "version 2" (today's events) renamed the first and split the second into started + completed.
const V2 = 2;
const fakeUpcasters: UpcasterTable = {
  1: (event) => {
    if (event.type === 'tool.reject') {
      const { commandId, toolUseId, why } = event;
      return [{ type: 'tool.deny', commandId, toolUseId, reason: why }];
    }
    if (event.type === 'tool.finished') {
      const { toolUseId, server, content } = event;
      return [
        { type: 'tool.started', toolUseId, server },
        { type: 'tool.completed', toolUseId, content, isError: false },
      ];
    }
    return [event];
  },
};

const input = { path: 'a.md', content: 'alpha' };
const deny = ev.deny('toolu_2', 'Not that one');
const before = [
  ev.userMessage('Write two files'),
  ev.started(1),
  ev.textDelta(1, 'I will write '),
  ev.textDelta(1, 'both.'),
  ev.toolUse(1, 1, 'toolu_1', 'write_file', input),
  ev.toolUse(1, 2, 'toolu_2', 'write_file', { path: 'b.md', content: 'beta' }),
  ev.completed(1, 'tool_use'),
  ev.approve('toolu_1'),
];
const after = [ev.started(2), ev.textDelta(2, 'Wrote a.md only.'), ev.completed(2)];

/** The log as version 2 writes it. */
const currentEvents: ConversationEvent[] = [
  ...before,
  deny,
  ev.toolStarted('toolu_1'),
  ev.toolCompleted('toolu_1', 'Wrote a.md.'),
  ...after,
];
/** The same conversation as version 1 wrote it: one event renamed, two still one. */
const oldEvents: LoggedEvent[] = [
  ...before,
  { type: 'tool.reject', commandId: deny.commandId, toolUseId: 'toolu_2', why: 'Not that one' },
  { type: 'tool.finished', toolUseId: 'toolu_1', server: 'tollgate-files', content: 'Wrote a.md.' },
  ...after,
];

const toEntries = (events: LoggedEvent[], machineVersion: number, firstSeq = 1): LogEntry[] =>
  events.map((event, i) => ({
    conversationId: 'c1',
    seq: firstSeq + i,
    // An old entry's event is not one of today's types: that is what upcasting is for.
    event: event as ConversationEvent,
    at: 1_764_000_000_000 + i,
    machineVersion,
  }));

const view = (snapshot: ConversationSnapshot) =>
  JSON.parse(JSON.stringify({ value: snapshot.value, context: snapshot.context }));
const foldAtV2 = (entries: LogEntry[], upcasters = fakeUpcasters) =>
  view(replay(entries, undefined, { machineVersion: V2, upcasters }));

describe('replay with upcasters', () => {
  it('folds an old log to the same snapshot as its upcast form', () => {
    const upcastForm = foldAtV2(toEntries(currentEvents, V2));
    expect(foldAtV2(toEntries(oldEvents, 1))).toEqual(upcastForm);
    // What the fold reached: the renamed denial and the split run both took effect.
    expect(upcastForm.value).toBe('idle');
    const tools = upcastForm.context.items.filter((item: { kind: string }) => item.kind === 'tool');
    expect(tools).toMatchObject([
      { toolUseId: 'toolu_1', run: { status: 'completed', result: { content: 'Wrote a.md.' } } },
      { toolUseId: 'toolu_2', decision: { status: 'denied', reason: 'Not that one' }, run: null },
    ]);
  });

  it('needs the upcaster: the old events read as today’s fold to another snapshot', () => {
    const asIfCurrent = foldAtV2(toEntries(oldEvents, V2));
    expect(asIfCurrent).not.toEqual(foldAtV2(toEntries(currentEvents, V2)));
    expect(asIfCurrent.value).toBe('awaitingApproval');
  });

  it('folds a log that spans the upgrade: old entries, then new ones, seqs checked as logged', () => {
    const cut = before.length + 2; // the old denial and run, then version 2's next turn
    const spanning = [
      ...toEntries(oldEvents.slice(0, cut), 1),
      ...toEntries(oldEvents.slice(cut), V2, cut + 1),
    ];
    expect(foldAtV2(spanning)).toEqual(foldAtV2(toEntries(currentEvents, V2)));
    const gap = spanning.map((entry) =>
      entry.seq > cut ? { ...entry, seq: entry.seq + 1 } : entry,
    );
    expect(() => foldAtV2(gap)).toThrow(ReplayError);
  });

  it('continues from a checkpoint folded from the old log', () => {
    const old = toEntries(oldEvents, 1);
    const half = 6;
    const versions = { machineVersion: V2, upcasters: fakeUpcasters };
    const checkpoint = replay(old.slice(0, half), undefined, versions);
    const continued = replay(old.slice(half), { snapshot: checkpoint, seq: half }, versions);
    expect(view(continued)).toEqual(foldAtV2(toEntries(currentEvents, V2)));
  });

  it('refuses a hole in the chain of upcasters, naming the entry and the missing step', () => {
    const old = toEntries(oldEvents, 1);
    const fold = () => replay(old, undefined, { machineVersion: 3, upcasters: fakeUpcasters });
    expect(fold).toThrow(ReplayError);
    expect(fold).toThrow('log entry 1 of c1 was written by machine version 1');
    expect(fold).toThrow('no upcaster from version 2 to 3');
    expect(() => upcast(old[0]!, V2, {})).toThrow('no upcaster from version 1 to 2');
  });

  it('still refuses an entry of a newer machine', () => {
    expect(() => foldAtV2(toEntries(currentEvents, 3))).toThrow(
      'log entry 1 was written by machine version 3; this is 2',
    );
  });
});

describe('upcast', () => {
  it('carries an event up through every version, each step applied to what the last gave', () => {
    const chain: UpcasterTable = {
      1: (event) => (event.type === 'tool.finished' ? fakeUpcasters[1]!(event) : [event]),
      // A later, made-up step: progress stopped being logged.
      2: (event) => (event.type === 'tool.progress' ? [] : [event]),
      3: (event) => (event.type === 'tool.started' ? [{ ...event, server: 'files' }] : [event]),
    };
    const [finished] = toEntries([oldEvents[9]!], 1);
    expect(upcast(finished!, 4, chain)).toEqual([
      { type: 'tool.started', toolUseId: 'toolu_1', server: 'files' },
      { type: 'tool.completed', toolUseId: 'toolu_1', content: 'Wrote a.md.', isError: false },
    ]);
    const [progress] = toEntries([{ type: 'tool.progress', toolUseId: 'toolu_1', progress: 1 }], 2);
    expect(upcast(progress!, 4, chain)).toEqual([]);
  });

  it('leaves an entry of the current version as it is, even with no upcasters at all', () => {
    const [entry] = toEntries([currentEvents[0]!], V2);
    expect(upcast(entry!, V2, {})).toEqual([currentEvents[0]]);
  });

  it('this build has an upcaster from every earlier machine version', () => {
    const versions = Array.from({ length: MACHINE_VERSION - 1 }, (_, i) => i + 1);
    expect(versions.filter((version) => UPCASTERS[version] === undefined)).toEqual([]);
  });
});
