import { TOOL_NAME_PATTERN } from './events/command-events.ts';
import type { ConversationEvent } from './events/conversation-event.ts';
import type { LogEntry } from './log-entry.ts';

// The events that stream, checked by hand: Claude's text, thinking and tool input deltas, and a
// tool's chunks, nearly all of a long conversation's log and of what a file's run sends. zod's
// check of each one costs the most where they come by the thousand: the page reading a catch-up
// or a file arriving chunk by chunk, under a CSP that forbids `eval`, so zod walks each schema
// generically (ten times the hand check); and the server, which checks each delta twice as it
// streams, as Claude's event becomes a fact and as the fact is appended, where zod's result
// objects were a sixth of what it allocated per delta (docs/performance.md). The hand checks
// accept only what the schemas accept, and the schemas would give back the same fields with the
// same values (streamed-event-check.test.ts holds them together); anything else is left to them.

/** Whether `value` is a whole number from `least` up, as the schemas' counts and times are. */
export const isCount = (value: unknown, least: number): boolean =>
  Number.isSafeInteger(value) && (value as number) >= least;

/** Whether `value` is an object and not an array, as zod takes an object. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

type FieldCheck = (value: unknown) => boolean;

const isTurn: FieldCheck = (value) => isCount(value, 1);
const isIndex: FieldCheck = (value) => isCount(value, 0);
const isText: FieldCheck = (value) => typeof value === 'string';
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
const isToolName: FieldCheck = (value) =>
  typeof value === 'string' && TOOL_NAME_PATTERN.test(value);

/** A field's check, and whether the schema lets the field be left out. */
interface Field {
  check: FieldCheck;
  optional?: true;
}

/** An event's fields besides `type`, and how many of them it must have. */
interface Shape {
  fields: ReadonlyMap<string, Field>;
  required: number;
}

const shape = (fields: [string, Field][]): Shape => ({
  fields: new Map(fields),
  required: fields.filter(([, field]) => !field.optional).length,
});

/** The events that stream, which the hand checks cover. */
export type StreamedEvent = Extract<
  ConversationEvent,
  {
    type:
      | 'assistant.text_delta'
      | 'assistant.thinking_delta'
      | 'assistant.tool_input_delta'
      | 'tool.chunk';
  }
>;

/** Each streamed event's fields besides `type`, as its schema names them. */
const STREAMED = new Map<StreamedEvent['type'], Shape>([
  [
    'assistant.text_delta',
    shape([
      ['turn', { check: isTurn }],
      ['index', { check: isIndex }],
      ['text', { check: isText }],
    ]),
  ],
  [
    'assistant.thinking_delta',
    shape([
      ['turn', { check: isTurn }],
      ['index', { check: isIndex }],
      ['thinking', { check: isText }],
    ]),
  ],
  [
    'assistant.tool_input_delta',
    shape([
      ['turn', { check: isTurn }],
      ['index', { check: isIndex }],
      ['toolUseId', { check: isToolUseId }],
      ['name', { check: isToolName }],
      ['partialJson', { check: isText }],
    ]),
  ],
  [
    'tool.chunk',
    shape([
      ['toolUseId', { check: isToolUseId }],
      ['index', { check: isIndex }],
      ['text', { check: isText }],
      ['bytes', { check: isIndex }],
      ['total', { check: isIndex }],
      ['message', { check: isTextOf(0, 500), optional: true }],
    ]),
  ],
]);

/** The event types checked by hand (the tests hold each to its schema). */
export const STREAMED_EVENT_TYPES: readonly string[] = [...STREAMED.keys()];

/**
 * Whether `value`'s own enumerable keys besides `type` are the shape's fields, each valid and none
 * missing but an optional one: a key the schema does not name would be stripped by it, and a
 * named one that is only inherited is not the value's own.
 */
function hasExactly(value: Record<string, unknown>, { fields, required }: Shape): boolean {
  let present = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key) || key === 'type') continue;
    const field = fields.get(key);
    if (field === undefined || !field.check(value[key])) return false;
    if (!field.optional) present += 1;
  }
  return present === required;
}

/**
 * Whether `value` is a streamed event (STREAMED_EVENT_TYPES) with exactly its schema's fields,
 * each valid: then `conversationEventSchema` would read it as it is.
 */
export function isStreamedEvent(value: unknown): value is StreamedEvent {
  if (!isRecord(value) || typeof value.type !== 'string' || !Object.hasOwn(value, 'type')) {
    return false;
  }
  const streamed = STREAMED.get(value.type as StreamedEvent['type']);
  return streamed !== undefined && hasExactly(value, streamed);
}

const ENTRY_KEYS = new Set(['conversationId', 'seq', 'event', 'at', 'machineVersion']);

/**
 * Whether `value` is the log entry of a streamed event with exactly the schema's fields, each
 * valid: then `logEntrySchema` would read it as it is. Never more than the schema takes; a little
 * less, where that keeps the check simple (a conversation id over 128 UTF-16 units that zod,
 * counting code points, still takes), and the schema then decides.
 */
export function isStreamedEntry(value: unknown): value is LogEntry {
  if (!isRecord(value)) return false;
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key) || !ENTRY_KEYS.has(key)) return false;
    count += 1;
  }
  const { conversationId } = value;
  return (
    count === ENTRY_KEYS.size &&
    typeof conversationId === 'string' &&
    conversationId.length >= 1 &&
    conversationId.length <= 128 &&
    isCount(value.seq, 1) &&
    isCount(value.at, 0) &&
    isCount(value.machineVersion, 1) &&
    isStreamedEvent(value.event)
  );
}
