// The text that arrived past what the page shows, kept from the events that brought it: the
// streaming block's deltas past what its markdown shows (use-live-tail.ts), a file's chunks past
// what its panel shows (use-chunk-tail.ts). Reading that from the whole text instead would copy
// the whole text each time (a string built by appending is flattened by any read of it, in time
// that grows with its length), so a long answer or a large file would cost more per frame as it
// grows. Each event's text is appended to the tail, and a render cuts off what it now
// shows.

export interface TailText {
  /** Where the tail starts in the block's text. */
  from: number;
  /** The block's length after the last delta. */
  length: number;
  /** The block's text from `from` to `length`. */
  text: string;
}

/** The tail of a block whose text is `live`, from `from` on (copies `live` once: a resync). */
export function tailFromText(live: string, from: number): TailText {
  return { from, length: live.length, text: live.length > from ? live.slice(from) : '' };
}

/** An empty tail at `length`: nothing arrived past it yet (reads no text). */
export function tailAt(length: number): TailText {
  return { from: length, length, text: '' };
}

/**
 * The tail after a delta that made the block `length` long, or null if the delta does not
 * account for the growth exactly (an entry that was not applied, a catch-up): then resync.
 */
export function withDelta(tail: TailText, delta: string, length: number): TailText | null {
  if (length !== tail.length + delta.length) return null;
  // The markdown may already show part of the delta (it rendered before the tail saw it).
  const shown = Math.max(0, tail.from - tail.length);
  return { from: tail.from, length, text: tail.text + (shown > 0 ? delta.slice(shown) : delta) };
}

/** The tail once the markdown shows the block up to `from`: what it shows is cut off. */
export function startingAt(tail: TailText, from: number): TailText {
  if (from >= tail.length) return { from, length: tail.length, text: '' };
  return { from, length: tail.length, text: tail.text.slice(Math.max(0, from - tail.from)) };
}

/**
 * The text from `from` to `to` if the tail holds all of it (else null: read it from the whole
 * text), and the tail that starts at `to` (empty when `to` is where the tail ends).
 */
export function takeRange(
  tail: TailText,
  from: number,
  to: number,
): { text: string | null; tail: TailText } {
  const rest = to <= tail.length ? startingAt(tail, Math.max(to, tail.from)) : tailAt(to);
  if (from < tail.from || to > tail.length || from > to) return { text: null, tail: rest };
  return { text: tail.text.slice(from - tail.from, to - tail.from), tail: rest };
}
