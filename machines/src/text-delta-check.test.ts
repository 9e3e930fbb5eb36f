import { describe, expect, it } from 'vitest';
import { conversationEventSchema } from './events/conversation-event.ts';
import { assistantTextDeltaEventSchema } from './events/fact-events.ts';
import { logEntrySchema } from './log-entry.ts';
import * as ev from './test-support/event-builders.ts';
import { entryAt as entry } from './test-support/log-of.ts';
import { isTextDeltaEntry, isTextDeltaEvent } from './text-delta-check.ts';

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

/** What `schema` says of `value`: accepted as it is (nothing stripped, nothing changed)? */
function takesAsIs(
  schema: typeof logEntrySchema | typeof conversationEventSchema,
  value: unknown,
): boolean {
  const parsed = schema.safeParse(value);
  return parsed.success && JSON.stringify(parsed.data) === JSON.stringify(value);
}
const schemaTakesAsIs = (value: unknown) => takesAsIs(logEntrySchema, value);

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
    const tooWide = { ...delta(), conversationId: '😀'.repeat(129) };
    expect(isTextDeltaEntry(tooWide)).toBe(false);
    expect(schemaTakesAsIs(tooWide)).toBe(false);
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

describe("the hand check of a text delta's event", () => {
  it('accepts exactly the text delta events the event schema reads as they are', () => {
    const valid = ev.textDelta(1, 'word ');
    expect(isTextDeltaEvent(valid)).toBe(true);
    const cases = [
      ...variants(valid),
      ...ODD,
      JSON.parse(`{"__proto__":1,${JSON.stringify(valid).slice(1)}`),
      Object.assign(Object.create({ text: 'inherited' }), { type: valid.type, turn: 1, index: 0 }),
      ev.thinkingDelta(1, 'hmm'),
      ev.started(1),
    ];
    for (const value of cases) {
      expect({ value, accepted: isTextDeltaEvent(value) }).toEqual({
        value,
        accepted:
          takesAsIs(conversationEventSchema, value) &&
          (value as { type?: unknown } | null)?.type === 'assistant.text_delta',
      });
    }
  });
});
