import type { AssistantTextDeltaEvent } from './events/fact-events.ts';
import type { LogEntry } from './log-entry.ts';

// A text delta (nearly all of a long conversation's log) checked by hand, where zod's check of
// each one costs the most: the page reading a catch-up, under a CSP that forbids `eval`, so zod
// walks each schema generically (ten times the hand check); and the server, which checks each
// delta twice as it streams, as Claude's event becomes a fact and as the fact is appended, where
// zod's result objects were a sixth of what it allocated per delta (docs/performance.md). The
// hand checks accept only what the schemas accept, and the schemas would give back the same
// fields with the same values (text-delta-check.test.ts holds them together).

/** Whether `value` is a whole number from `least` up, as the schemas' counts and times are. */
export const isCount = (value: unknown, least: number): boolean =>
  Number.isSafeInteger(value) && (value as number) >= least;

/** Whether `value` is an object and not an array, as zod takes an object. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const ENTRY_KEYS = new Set(['conversationId', 'seq', 'event', 'at', 'machineVersion']);
const DELTA_KEYS = new Set(['type', 'turn', 'index', 'text']);

/**
 * Whether `value`'s own enumerable keys are exactly `keys`: a key the schema does not name would be
 * stripped by it, and a named one that is only inherited is not the value's own.
 */
function hasExactly(value: object, keys: ReadonlySet<string>): boolean {
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (!keys.has(key)) return false;
    count += 1;
  }
  return count === keys.size;
}

/**
 * Whether `value` is an `assistant.text_delta` event with exactly the schema's fields, each
 * valid: then `conversationEventSchema` would read it as it is.
 */
export function isTextDeltaEvent(value: unknown): value is AssistantTextDeltaEvent {
  return (
    isRecord(value) &&
    hasExactly(value, DELTA_KEYS) &&
    value.type === 'assistant.text_delta' &&
    isCount(value.turn, 1) &&
    isCount(value.index, 0) &&
    typeof value.text === 'string'
  );
}

/**
 * Whether `value` is the log entry of an `assistant.text_delta` with exactly the schema's fields,
 * each valid: then `logEntrySchema` would read it as it is. Never more than the schema takes; a
 * little less, where that keeps the check simple (a conversation id over 128 UTF-16 units that
 * zod, counting code points, still takes), and the schema then decides.
 */
export function isTextDeltaEntry(value: unknown): value is LogEntry {
  if (!isRecord(value) || !hasExactly(value, ENTRY_KEYS)) return false;
  const { conversationId } = value;
  return (
    typeof conversationId === 'string' &&
    conversationId.length >= 1 &&
    conversationId.length <= 128 &&
    isCount(value.seq, 1) &&
    isCount(value.at, 0) &&
    isCount(value.machineVersion, 1) &&
    isTextDeltaEvent(value.event)
  );
}
