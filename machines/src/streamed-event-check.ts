import { TOOL_NAME_PATTERN } from './events/command-events.ts';
import type { ConversationEvent } from './events/conversation-event.ts';

// The events that stream, checked by hand: Claude's text, thinking and tool input deltas, and a
// tool's chunks and progress, nearly all of a long conversation's log and of what a file's run
// sends. zod's check of each one costs the most where they come by the thousand: the page reading
// a catch-up or a file arriving chunk by chunk, under a CSP that forbids `eval`, so zod walks each
// schema generically (ten times the hand check); and the server, which checks each delta twice as
// it streams, as Claude's event becomes a fact and as the fact is appended, where zod's result
// objects were a sixth of what it allocated per delta (docs/performance.md). The hand checks
// accept only what the schemas accept and give back unchanged (streamed-event-check.test.ts holds
// them together); anything else is left to the schemas, which then decide.

/** Whether `value` is a whole number from `least` up, as the schemas' counts and times are. */
export const isCount = (value: unknown, least: number): boolean =>
  Number.isSafeInteger(value) && (value as number) >= least;

/** Whether `value` is an object and not an array, as zod takes an object. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

type FieldCheck = (value: unknown) => boolean;

const isCountFrom0: FieldCheck = (value) => isCount(value, 0);
const isCountFrom1: FieldCheck = (value) => isCount(value, 1);
const isText: FieldCheck = (value) => typeof value === 'string';
/** A number that is not negative, as `z.number().nonnegative()` takes (never an infinity). */
const isAmount: FieldCheck = (value) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;
/**
 * A text of `least` to `most` UTF-16 units. The schemas count code points past their limit; a
 * text they still take there (128 emoji for a limit of 128) is left to them, so the hand check
 * never takes more than they do.
 */
const isTextOf =
  (least: number, most: number): FieldCheck =>
  (value) =>
    typeof value === 'string' && value.length >= least && value.length <= most;
const isToolUseId = isTextOf(1, 128);
const isConversationId = isTextOf(1, 128);
const isToolName: FieldCheck = (value) =>
  typeof value === 'string' && TOOL_NAME_PATTERN.test(value);
const isMessage = isTextOf(0, 500);

/** The events that stream, which the hand checks cover. */
export type StreamedEvent = Extract<
  ConversationEvent,
  {
    type:
      | 'assistant.text_delta'
      | 'assistant.thinking_delta'
      | 'assistant.tool_input_delta'
      | 'tool.chunk'
      | 'tool.progress';
  }
>;

/** A field's check, and whether the schema lets the field be left out. */
interface Field {
  check: FieldCheck;
  optional?: true;
}

/** Where a delta of Claude's belongs: its turn and its block's index in the answer. */
const IN_BLOCK = { turn: { check: isCountFrom1 }, index: { check: isCountFrom0 } };
/** The optional word a tool's chunk or progress may carry. */
const MESSAGE: Field = { check: isMessage, optional: true };

/** Each field of each streamed event but `type`: the compiler holds the names to the events'. */
const FIELDS: {
  [E in StreamedEvent as E['type']]: { [K in Exclude<keyof E, 'type'>]-?: Field };
} = {
  'assistant.text_delta': { ...IN_BLOCK, text: { check: isText } },
  'assistant.thinking_delta': { ...IN_BLOCK, thinking: { check: isText } },
  'assistant.tool_input_delta': {
    ...IN_BLOCK,
    toolUseId: { check: isToolUseId },
    name: { check: isToolName },
    partialJson: { check: isText },
  },
  'tool.chunk': {
    toolUseId: { check: isToolUseId },
    index: { check: isCountFrom0 },
    text: { check: isText },
    bytes: { check: isCountFrom0 },
    total: { check: isCountFrom0 },
    message: MESSAGE,
    count: { check: isCountFrom1, optional: true },
  },
  'tool.progress': {
    toolUseId: { check: isToolUseId },
    progress: { check: isAmount },
    total: { check: isAmount, optional: true },
    message: MESSAGE,
  },
};

/** An event's fields besides `type`, those it may leave out, and how many it must have. */
interface Shape {
  fields: ReadonlyMap<string, Field>;
  optional: readonly string[];
  required: number;
}

const SHAPES = new Map<string, Shape>(
  Object.entries(FIELDS).map(([type, fields]) => {
    const entries = Object.entries(fields as Record<string, Field>);
    const optional = entries.filter(([, field]) => field.optional).map(([key]) => key);
    return [
      type,
      { fields: new Map(entries), optional, required: entries.length - optional.length },
    ];
  }),
);

/** The event types checked by hand (the tests hold each to its schema). */
export const STREAMED_EVENT_TYPES: readonly StreamedEvent['type'][] = Object.keys(
  FIELDS,
) as StreamedEvent['type'][];

/**
 * Whether `value` has its shape's fields and no others, each valid, all its own and enumerable:
 * zod strips a key it does not name, and reads an inherited or hidden one that it does, where the
 * value as it is would be written without it.
 */
function fitsShape(value: Record<string, unknown>, { fields, optional, required }: Shape) {
  let present = 0;
  let seenType = false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    if (key === 'type') {
      seenType = true;
      continue;
    }
    const field = fields.get(key);
    if (field === undefined || !field.check(value[key])) return false;
    if (!field.optional) present += 1;
  }
  if (!seenType || present !== required) return false;
  // An optional field the loop did not list may still be there for zod: inherited (the loop
  // refuses those it lists) or not enumerable. One that is its own and enumerable was checked.
  return optional.every((key) => !(key in value) || isOwnEnumerable(value, key));
}

const isOwnEnumerable = (value: object, key: string) =>
  Object.prototype.propertyIsEnumerable.call(value, key);

/**
 * Whether `value` is a streamed event (STREAMED_EVENT_TYPES) that `conversationEventSchema` would
 * read as it is. False says nothing more: the schema decides.
 */
export function isStreamedEvent(value: unknown): boolean {
  if (!isRecord(value) || typeof value.type !== 'string') return false;
  const shape = SHAPES.get(value.type);
  return shape !== undefined && fitsShape(value, shape);
}

const ENTRY_KEYS = new Set(['conversationId', 'seq', 'event', 'at', 'machineVersion']);

/**
 * Whether `value` is the log entry of a streamed event that `logEntrySchema` would read as it is.
 * Never more than the schema takes; a little less, where that keeps the check simple (a
 * conversation id over 128 UTF-16 units that zod, counting code points, still takes). False says
 * nothing more: the schema decides.
 */
export function isStreamedEntry(value: unknown): boolean {
  if (!isRecord(value)) return false;
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key) || !ENTRY_KEYS.has(key)) return false;
    count += 1;
  }
  return (
    count === ENTRY_KEYS.size &&
    isConversationId(value.conversationId) &&
    isCount(value.seq, 1) &&
    isCount(value.at, 0) &&
    isCount(value.machineVersion, 1) &&
    isStreamedEvent(value.event)
  );
}
