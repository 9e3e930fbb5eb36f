import { describe, expect, it } from 'vitest';
import type { ConversationEvent } from '../events/conversation-event.ts';
import type { LogEntry } from '../log-entry.ts';
import { replay } from '../replay.ts';
import * as ev from '../test-support/event-builders.ts';
import { conversationExport, eventsToImport, ImportRefusal } from './conversation-export.ts';

const events: ConversationEvent[] = [
  ev.userMessage('Write my notes'),
  ev.started(1),
  ev.textDelta(1, 'Sure.'),
  ev.completed(1),
  ev.renamed('Notes'),
];
const entries: LogEntry[] = events.map((event, i) => ({
  conversationId: 'c_old',
  seq: i + 1,
  event,
  at: 1_000 + i,
  machineVersion: 1,
}));
const file = () =>
  JSON.parse(
    JSON.stringify(
      conversationExport({ id: 'c_old', title: 'Notes', createdAt: 900 }, entries, 5_000),
    ),
  );

const refusal = (value: unknown) => {
  try {
    eventsToImport(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportRefusal);
    return (error as Error).message;
  }
  throw new Error('imported');
};

describe('importing a JSON export', () => {
  it('gives back the events and their times, which fold to the same state under a new id', () => {
    const imported = eventsToImport(file());
    expect(imported.title).toBe('Notes');
    expect(imported.events).toEqual(entries.map(({ event, at }) => ({ event, at })));
    const again = imported.events.map(
      ({ event, at }, i): LogEntry => ({
        conversationId: 'c_new',
        seq: i + 1,
        event,
        at,
        machineVersion: 1,
      }),
    );
    const view = (e: LogEntry[]) => {
      const s = replay(e);
      return { value: s.value, context: s.context };
    };
    expect(view(again)).toEqual(view(entries));
  });

  it('refuses anything else, naming what is wrong', () => {
    expect(refusal({ hello: 1 })).toMatch(/not a Tollgate conversation export/);
    expect(refusal({ ...file(), version: 9 })).toMatch(/version 9/);
    expect(refusal({ ...file(), entries: [] })).toMatch(/no entries/);
    const broken = file();
    broken.entries[2].event.turn = 'one';
    expect(refusal(broken)).toMatch(/^Entry 3 is not a valid log entry: event/);
    const gap = file();
    gap.entries.splice(1, 1);
    expect(refusal(gap)).toMatch(/Entry 2 has seq 3/);
    const newer = file();
    newer.entries[0].machineVersion = 99;
    expect(refusal(newer)).toMatch(/machine version 99/);
    const mixed = file();
    mixed.entries[1].conversationId = 'c_other';
    expect(refusal(mixed)).toMatch(/another conversation/);
  });
});
