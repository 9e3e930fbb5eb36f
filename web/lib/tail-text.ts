// The live tail (use-live-tail.ts) shows the text of a streaming block past what its markdown
// shows. Reading that from the block's whole text at every delta would copy the whole text each
// time (a string built by appending is flattened by any read of it), so a long answer would cost
// more per delta as it grows. Instead the tail is kept from the deltas themselves: each delta is
// appended to it, and a render of the markdown cuts off what it now shows.

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
