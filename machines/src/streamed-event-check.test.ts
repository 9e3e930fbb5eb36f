import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { conversationEventSchema } from './events/conversation-event.ts';
import {
  assistantTextDeltaEventSchema,
  assistantThinkingDeltaEventSchema,
  assistantToolInputDeltaEventSchema,
  toolChunkEventSchema,
  toolProgressEventSchema,
} from './events/fact-events.ts';
import { logEntrySchema } from './log-entry.ts';
import { isStreamedEntry, isStreamedEvent, STREAMED_EVENT_TYPES } from './streamed-event-check.ts';
import * as ev from './test-support/event-builders.ts';
import { entryAt as entry } from './test-support/log-of.ts';

/** One valid event of each streamed type, and its schema. */
const STREAMED = [
  { event: ev.textDelta(1, 'word '), schema: assistantTextDeltaEventSchema },
  { event: ev.thinkingDelta(1, 'hmm'), schema: assistantThinkingDeltaEventSchema },
  {
    event: ev.toolInputDelta(1, 1, 'toolu_1', 'write_file', '{"path":"a.md"'),
    schema: assistantToolInputDeltaEventSchema,
  },
  // With a message, as the file tool's chunks are (tool-actor.ts), and a count, as a merged run
  // of chunks has (merge-deltas.ts); the variants below leave each out in turn.
  {
    event: { ...ev.toolChunk('toolu_1', 6, 'line\n', 4096, 8192), count: 2 },
    schema: toolChunkEventSchema,
  },
  {
    event: { type: 'tool.progress', toolUseId: 'toolu_1', progress: 2.5, total: 10, message: 'ok' },
    schema: toolProgressEventSchema,
  },
];
/** The same chunk without its optional message. */
const { message: _message, ...bareChunk } = ev.toolChunk('toolu_1', 0, 'x', 1, 1);

/** `value` with its `key` moved to its prototype. */
function withOnlyInherited(value: Record<string, unknown>, key: string) {
  const { [key]: inherited, ...own } = value;
  return Object.assign(Object.create({ [key]: inherited }), own);
}

/** `value` with its `key` its own but not enumerable (a `for…in` does not list it). */
function withHidden(value: Record<string, unknown>, key: string) {
  return Object.defineProperty({ ...value }, key, { value: value[key], enumerable: false });
}

/** `value` with each of its keys, and `extra`, inherited or hidden in turn: never its own as zod reads it. */
function notOwn(value: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return Object.keys({ ...value, ...extra }).flatMap((key) => [
    withOnlyInherited({ ...value, ...extra }, key),
    withHidden({ ...value, ...extra }, key),
  ]);
}

/** Whether `value` (an event, or anything) is of a type the hand check covers. */
const streamedType = (value: unknown) =>
  (STREAMED_EVENT_TYPES as readonly string[]).includes(
    String((value as { type?: unknown } | null)?.type),
  );

/** Values a field might hold in a garbled or hostile message (`undefined`: the field left out). */
const ODD = [
  undefined,
  null,
  '',
  'x',
  'a'.repeat(128),
  'a'.repeat(129),
  'a'.repeat(500),
  'a'.repeat(501),
  'write_file',
  'bad name',
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

/** Whether a `for…in` over `value`, and over its event if it has one, lists only its own keys. */
function listsOwnKeysOnly(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  for (const key in value) if (!Object.hasOwn(value, key)) return false;
  return listsOwnKeysOnly((value as { event?: unknown }).event);
}

/** What `schema` says of `value`: accepted as it is (nothing stripped, nothing changed)? */
function takesAsIs(
  schema: typeof logEntrySchema | typeof conversationEventSchema,
  value: unknown,
): boolean {
  const parsed = schema.safeParse(value);
  // What a reader of the value as it is sees: its own enumerable keys and their values. (Node 24's
  // isDeepStrictEqual no longer tells objects apart by their prototypes, so inherited keys are
  // looked for first.)
  return parsed.success && listsOwnKeysOnly(value) && isDeepStrictEqual(parsed.data, value);
}
const schemaTakesAsIs = (value: unknown) => takesAsIs(logEntrySchema, value);

describe("the hand check of a streamed event's entry", () => {
  it('covers the events that stream by the thousand, and no other', () => {
    expect(STREAMED_EVENT_TYPES).toEqual(STREAMED.map(({ event }) => event.type));
  });

  it.each(STREAMED)(
    'accepts exactly what the log entry schema reads as it is: $event.type',
    ({ event }) => {
      const valid = entry(3, event);
      expect(isStreamedEntry(valid)).toBe(true);
      expect(schemaTakesAsIs(valid)).toBe(true);
      const withInherited = Object.assign(Object.create({ machineVersion: 1 }), {
        conversationId: 'c1',
        seq: 3,
        event: valid.event,
        at: 1,
      });
      const cases = [
        ...variants(valid),
        ...variants(valid.event).map((odd) => ({ ...valid, event: odd })),
        ...STREAMED.map((other) => entry(3, { ...other.event, type: event.type })),
        ...ODD,
        { ...valid, seq: Number.MAX_SAFE_INTEGER, at: Number.MAX_SAFE_INTEGER },
        { ...valid, at: -(2 ** 53) },
        // A key JSON text can give an object of its own, where a literal would set its prototype.
        JSON.parse(`{"__proto__":1,${JSON.stringify(valid).slice(1)}`),
        { ...valid, event: JSON.parse(`{"__proto__":1,${JSON.stringify(valid.event).slice(1)}`) },
        // Named fields only inherited, or not enumerable: not the value's own as zod reads it.
        withInherited,
        Object.assign(Object.create({ machineVersion: 1 }), { ...withInherited, extra: 1 }),
        ...notOwn(valid),
        ...notOwn(valid.event, { message: 'hidden' }).map((odd) => ({ ...valid, event: odd })),
        entry(3, ev.started(1)),
        entry(3, ev.thinkingSignature(1, 'sig')),
      ];
      for (const value of cases) {
        expect({ value, accepted: isStreamedEntry(value) }).toEqual({
          value,
          accepted:
            schemaTakesAsIs(value) && streamedType((value as { event?: unknown } | null)?.event),
        });
      }
    },
  );

  it('takes a chunk without its optional message, and leaves to the schema a message it counts differently', () => {
    expect(isStreamedEntry(entry(3, bareChunk))).toBe(true);
    expect(schemaTakesAsIs(entry(3, bareChunk))).toBe(true);
    // zod counts code points once the UTF-16 length is over the limit: 500 emoji fit its 500.
    const wide = entry(3, { ...bareChunk, message: '😀'.repeat(500) });
    expect(isStreamedEntry(wide)).toBe(false);
    expect(schemaTakesAsIs(wide)).toBe(true);
  });

  it('leaves to the schema an id it counts differently, never taking more than the schema', () => {
    const valid = entry(3, ev.textDelta(1, 'word '));
    // zod counts code points once the UTF-16 length is over the limit: 128 emoji fit its 128.
    const wide = { ...valid, conversationId: '😀'.repeat(128) };
    expect(isStreamedEntry(wide)).toBe(false);
    expect(schemaTakesAsIs(wide)).toBe(true);
    const tooWide = { ...valid, conversationId: '😀'.repeat(129) };
    expect(isStreamedEntry(tooWide)).toBe(false);
    expect(schemaTakesAsIs(tooWide)).toBe(false);
    const wideTool = entry(3, { ...bareChunk, toolUseId: '😀'.repeat(128) });
    expect(isStreamedEntry(wideTool)).toBe(false);
    expect(schemaTakesAsIs(wideTool)).toBe(true);
  });

  it("names the schemas' fields, so a field added to one is checked here too", () => {
    expect(Object.keys(logEntrySchema.shape)).toEqual([
      'conversationId',
      'seq',
      'event',
      'at',
      'machineVersion',
    ]);
    expect(STREAMED.map(({ schema }) => Object.keys(schema.shape))).toEqual([
      ['type', 'turn', 'index', 'text'],
      ['type', 'turn', 'index', 'thinking'],
      ['type', 'turn', 'index', 'toolUseId', 'name', 'partialJson'],
      ['type', 'toolUseId', 'index', 'text', 'bytes', 'total', 'message', 'count'],
      ['type', 'toolUseId', 'progress', 'total', 'message'],
    ]);
  });
});

describe('the hand check of a streamed event', () => {
  it.each(STREAMED)(
    'accepts exactly the events the event schema reads as they are: $event.type',
    ({ event }) => {
      expect(isStreamedEvent(event)).toBe(true);
      const cases = [
        ...variants(event),
        ...ODD,
        JSON.parse(`{"__proto__":1,${JSON.stringify(event).slice(1)}`),
        // Named fields only inherited, or not enumerable: not the value's own as zod reads it.
        ...notOwn(event, { message: 'hidden' }),
        ev.started(1),
        bareChunk,
      ];
      for (const value of cases) {
        expect({ value, accepted: isStreamedEvent(value) }).toEqual({
          value,
          accepted: takesAsIs(conversationEventSchema, value) && streamedType(value),
        });
      }
    },
  );
});
