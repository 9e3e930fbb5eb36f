// The live tail (use-live-tail.ts) shows the text of a streaming block past what its markdown
// shows. Reading that from the block's whole text at every delta would copy the whole text each
// time (a string built by appending is flattened by any read of it), so a long answer would cost
// more per delta as it grows. Instead the tail is kept from the deltas themselves: the pieces of
// text that arrived since the part the markdown shows, each with where it starts in the block.

export interface TailPieces {
  /** Where the tail starts in the block's text. */
  from: number;
  /** The block's length after the last piece. */
  length: number;
  pieces: readonly { start: number; text: string }[];
}

/** The tail of a block whose text is `live`, from `from` on (copies `live` once: a resync). */
export function tailFromText(live: string, from: number): TailPieces {
  return {
    from,
    length: live.length,
    pieces: live.length > from ? [{ start: from, text: live.slice(from) }] : [],
  };
}

/**
 * The tail after a delta that made the block `length` long, or null if the delta does not
 * account for the growth exactly (an entry that was not applied, a catch-up): then resync.
 */
export function withDelta(tail: TailPieces, text: string, length: number): TailPieces | null {
  if (length !== tail.length + text.length) return null;
  return { ...tail, length, pieces: [...tail.pieces, { start: tail.length, text }] };
}

/** The tail once the markdown shows the block up to `from`: pieces before it are dropped. */
export function startingAt(tail: TailPieces, from: number): TailPieces {
  return {
    from,
    length: tail.length,
    pieces: tail.pieces.filter((piece) => piece.start + piece.text.length > from),
  };
}

/** The tail's text. */
export function tailText(tail: TailPieces): string {
  let text = '';
  for (const piece of tail.pieces) {
    text += piece.start >= tail.from ? piece.text : piece.text.slice(tail.from - piece.start);
  }
  return text;
}
