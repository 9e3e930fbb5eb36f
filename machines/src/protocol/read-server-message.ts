import { type LogEntry, logEntrySchema } from '../log-entry.ts';
import { type ServerMessage, serverMessageSchema } from './server-message.ts';

// How the page reads what the server sends: the protocol's schema decides, but the entries of an
// `entries` message are read one by one, and a text delta's entry (nearly all of a long
// conversation's log) is checked by hand. Under the page's CSP, which forbids `eval`, zod walks
// each schema generically instead of running code compiled for it: for a long conversation's
// catch-up that walk cost ten times the hand check, and was the largest part of what reading it
// cost the page (docs/performance.md). The hand check accepts only what the schema accepts, and
// the schema's result for it is the value itself (read-server-message.test.ts holds the two
// together).

const isCount = (value: unknown, least: number): boolean =>
  Number.isSafeInteger(value) && (value as number) >= least;

const isRecord = (value: unknown): value is Record<string, unknown> =>
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
 * Whether `value` is the log entry of an `assistant.text_delta` with exactly the schema's fields,
 * each valid: then `logEntrySchema` would read it as it is. Never more than the schema takes; a
 * little less, where that keeps the check simple (a conversation id over 128 UTF-16 units that
 * zod, counting code points, still takes), and the schema then decides.
 */
export function isTextDeltaEntry(value: unknown): value is LogEntry {
  if (!isRecord(value) || !hasExactly(value, ENTRY_KEYS)) return false;
  const { conversationId, event } = value;
  return (
    typeof conversationId === 'string' &&
    conversationId.length >= 1 &&
    conversationId.length <= 128 &&
    isCount(value.seq, 1) &&
    isCount(value.at, 0) &&
    isCount(value.machineVersion, 1) &&
    isRecord(event) &&
    hasExactly(event, DELTA_KEYS) &&
    event.type === 'assistant.text_delta' &&
    isCount(event.turn, 1) &&
    isCount(event.index, 0) &&
    typeof event.text === 'string'
  );
}

/** A log entry as the schema reads it, or null when it does not fit. */
function readEntry(value: unknown): LogEntry | null {
  if (isTextDeltaEntry(value)) return value;
  const parsed = logEntrySchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** A server message read from its JSON, or null when it does not fit the protocol's schema. */
export function readServerMessage(json: unknown): ServerMessage | null {
  if (isRecord(json) && json.type === 'entries' && Array.isArray(json.entries)) {
    if (json.entries.length === 0) return null;
    const entries: LogEntry[] = [];
    for (const value of json.entries) {
      const entry = readEntry(value);
      if (entry === null) return null;
      entries.push(entry);
    }
    return { type: 'entries', entries };
  }
  const parsed = serverMessageSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
