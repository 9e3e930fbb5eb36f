import type { LogEntry } from '@tollgate/machines';

/** About how much of the log one message carries at most. */
export const ENTRIES_MESSAGE_BYTES = 256 * 1024;

/** An `entries` message of entries already serialised. */
const messageOf = (pieces: readonly string[]): string =>
  `{"type":"entries","entries":[${pieces.join(',')}]}`;

/**
 * Live entries' message: an entry is published on its own the moment it is durable, but for a
 * completion and the server's decisions on its calls, which go together (one fold in a tab).
 */
export function liveEntriesMessage(entries: readonly LogEntry[]): string {
  return messageOf(entries.map((entry) => JSON.stringify(entry)));
}

/**
 * Entries read from the log as the owner published them: each on its own, but the server's
 * decisions (`tool.policy_decided`) with the completion (or the decisions) they follow. A follower
 * instance publishes what it reads this way; a completion and its decisions read apart stay apart.
 */
export function publications(entries: readonly LogEntry[]): LogEntry[][] {
  const out: LogEntry[][] = [];
  let previous: LogEntry | undefined;
  for (const entry of entries) {
    if (continuesPublication(previous, entry)) out.at(-1)?.push(entry);
    else out.push([entry]);
    previous = entry;
  }
  return out;
}

/** Whether `entry` is a decision of the server's that goes out with the entry before it. */
function continuesPublication(previous: LogEntry | undefined, entry: LogEntry): boolean {
  return (
    entry.event.type === 'tool.policy_decided' &&
    (previous?.event.type === 'assistant.completed' ||
      previous?.event.type === 'tool.policy_decided')
  );
}

/**
 * A tab's catch-up as `entries` server messages, serialised, of about `pageBytes` each (a single
 * larger entry is a message of its own): a few dozen messages rather than one per entry, and never
 * one message holding the whole log. A completion and the server's decisions after it stay in one
 * message, as they were published. Fed the log as it is read (`add`, then `end`), it returns each
 * message once it is full, so the first is sent before the rest of the log is read. Each entry is
 * serialised once; the messages are built from those pieces.
 */
export function catchUpPager(pageBytes = ENTRIES_MESSAGE_BYTES) {
  let pieces: string[] = [];
  let size = 0;
  let previous: LogEntry | undefined;
  let sentThrough: number | undefined;
  const close = (into: string[]) => {
    if (pieces.length === 0) return;
    into.push(messageOf(pieces));
    pieces = [];
    size = 0;
    sentThrough = previous?.seq;
  };
  return {
    /** The seq of the last entry in a message returned so far (undefined before the first). */
    get sentThrough() {
      return sentThrough;
    },
    /** The messages `entries` (the next of the log) complete. */
    add(entries: readonly LogEntry[]): string[] {
      const full: string[] = [];
      for (const entry of entries) {
        const piece = JSON.stringify(entry);
        if (size > 0 && size + piece.length > pageBytes && !continuesPublication(previous, entry))
          close(full);
        pieces.push(piece);
        size += piece.length;
        previous = entry;
      }
      return full;
    },
    /** The last message, if anything is left. */
    end(): string[] {
      const last: string[] = [];
      close(last);
      return last;
    },
  };
}
