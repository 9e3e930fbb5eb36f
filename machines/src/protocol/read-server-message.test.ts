import { describe, expect, it } from 'vitest';
import { assistantTextDeltaEventSchema } from '../events/fact-events.ts';
import { logEntrySchema } from '../log-entry.ts';
import * as ev from '../test-support/event-builders.ts';
import { isTextDeltaEntry, readServerMessage } from './read-server-message.ts';
import { serverMessageSchema } from './server-message.ts';

const entry = (seq: number, event: Record<string, unknown>) => ({
  conversationId: 'c1',
  seq,
  event,
  at: 1_764_000_000_000,
  machineVersion: 1,
});
const delta = () => entry(3, ev.textDelta(1, 'word '));

/** Values a field might hold in a garbled or hostile message (`undefined`: the field left out). */
const ODD = [
  undefined,
  null,
  '',
  'x',
  'a'.repeat(128),
  'a'.repeat(129),
  0,
  -0,
  -1,
  1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  '1',
  true,
  {},
  [],
];

/** `value` with `key` set to `odd` (or left out), and the same with one key more. */
function variants(value: Record<string, unknown>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [{ ...value, extra: 1 }];
  for (const key of Object.keys(value)) {
    for (const odd of ODD) {
      const changed = { ...value };
      if (odd === undefined) delete changed[key];
      else changed[key] = odd;
      out.push(changed);
    }
  }
  return out;
}

/** What the schema says of `value`: accepted as it is (nothing stripped, nothing changed)? */
function schemaTakesAsIs(value: unknown): boolean {
  const parsed = logEntrySchema.safeParse(value);
  return parsed.success && JSON.stringify(parsed.data) === JSON.stringify(value);
}

describe("the hand check of a text delta's entry", () => {
  it('accepts exactly what the log entry schema reads as it is, for ids of one UTF-16 unit a character', () => {
    const valid = delta();
    expect(isTextDeltaEntry(valid)).toBe(true);
    expect(schemaTakesAsIs(valid)).toBe(true);
    const withInherited = Object.assign(Object.create({ machineVersion: 1 }), {
      conversationId: 'c1',
      seq: 3,
      event: valid.event,
      at: 1,
    });
    const cases = [
      ...variants(valid),
      ...variants(valid.event).map((event) => ({ ...valid, event })),
      ...ODD,
      { ...valid, seq: Number.MAX_SAFE_INTEGER, at: Number.MAX_SAFE_INTEGER },
      { ...valid, at: -(2 ** 53) },
      // A key JSON text can give an object of its own, where a literal would set its prototype.
      JSON.parse(`{"__proto__":1,${JSON.stringify(valid).slice(1)}`),
      { ...valid, event: JSON.parse(`{"__proto__":1,${JSON.stringify(valid.event).slice(1)}`) },
      // Named fields only inherited: not the value's own.
      withInherited,
      Object.assign(Object.create({ machineVersion: 1 }), { ...withInherited, extra: 1 }),
      entry(3, ev.thinkingDelta(1, 'hmm')),
      entry(3, ev.started(1)),
    ];
    for (const value of cases) {
      expect({ value, accepted: isTextDeltaEntry(value) }).toEqual({
        value,
        accepted:
          schemaTakesAsIs(value) &&
          (value as { event?: { type?: unknown } }).event?.type === 'assistant.text_delta',
      });
    }
  });

  it('leaves to the schema an id it counts differently, never taking more than the schema', () => {
    // zod counts code points once the UTF-16 length is over the limit: 128 emoji fit its 128.
    const wide = { ...delta(), conversationId: '😀'.repeat(128) };
    expect(isTextDeltaEntry(wide)).toBe(false);
    expect(schemaTakesAsIs(wide)).toBe(true);
    expect(readServerMessage({ type: 'entries', entries: [wide] })).toEqual({
      type: 'entries',
      entries: [wide],
    });
    const tooWide = { ...delta(), conversationId: '😀'.repeat(129) };
    expect(isTextDeltaEntry(tooWide)).toBe(false);
    expect(readServerMessage({ type: 'entries', entries: [tooWide] })).toBeNull();
  });

  it("names the schemas' fields, so a field added to either is checked here too", () => {
    expect(Object.keys(logEntrySchema.shape)).toEqual([
      'conversationId',
      'seq',
      'event',
      'at',
      'machineVersion',
    ]);
    expect(Object.keys(assistantTextDeltaEventSchema.shape)).toEqual([
      'type',
      'turn',
      'index',
      'text',
    ]);
  });
});

describe('reading a server message', () => {
  /** The schema's reading of `json`, or null, as readServerMessage answers. */
  const bySchema = (json: unknown) => {
    const parsed = serverMessageSchema.safeParse(json);
    return parsed.success ? parsed.data : null;
  };

  it('reads as the protocol schema does, entries of every kind and garbled ones alike', () => {
    const mixed = [
      entry(1, ev.userMessage('Hi')),
      entry(2, ev.started(1)),
      delta(),
      entry(4, ev.textDelta(1, 'more ')),
      entry(5, ev.completed(1)),
    ];
    const messages: unknown[] = [
      { type: 'entries', entries: mixed },
      // Left out by the schema: a key it does not name, in the message or in an entry.
      { type: 'entries', entries: mixed, extra: true },
      { type: 'entries', entries: [{ ...delta(), extra: 1 }] },
      { type: 'entries', entries: [] },
      { type: 'entries', entries: [delta(), null] },
      { type: 'entries', entries: [delta(), { ...delta(), seq: 0 }] },
      { type: 'entries', entries: [entry(6, { type: 'assistant.text_delta', turn: 1 })] },
      { type: 'entries', entries: 'none' },
      { type: 'entries' },
      { type: 'subscribed', conversationId: 'c1', lastSeq: 5 },
      { type: 'subscribed', conversationId: 'c1' },
      { type: 'nonsense' },
      null,
      [],
      'entries',
    ];
    for (const json of messages) {
      expect({ json, read: readServerMessage(json) }).toEqual({ json, read: bySchema(json) });
    }
    expect(readServerMessage(messages[0])).toEqual({ type: 'entries', entries: mixed });
  });
});
