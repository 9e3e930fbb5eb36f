export interface TextChunk {
  text: string;
  bytes: Buffer;
}

/** A UTF-8 continuation byte (0b10xxxxxx) never starts a character. */
const isContinuation = (byte: number | undefined) => byte !== undefined && (byte & 0xc0) === 0x80;

/**
 * Splits text into chunks of at most `maxBytes` UTF-8 bytes, never inside a character, so each
 * chunk is valid text on its own and the chunks concatenate to the original byte for byte.
 * Encodes once and cuts the bytes, stepping back over continuation bytes at each cut.
 */
export function splitIntoChunks(text: string, maxBytes: number): TextChunk[] {
  const all = Buffer.from(text, 'utf8');
  const chunks: TextChunk[] = [];
  let start = 0;
  while (start < all.length) {
    let end = Math.min(start + maxBytes, all.length);
    while (end < all.length && end > start && isContinuation(all[end])) end -= 1;
    // A single character longer than maxBytes (at most 4 bytes) still goes out whole.
    if (end === start) {
      end = start + 1;
      while (end < all.length && isContinuation(all[end])) end += 1;
    }
    const bytes = all.subarray(start, end);
    chunks.push({ text: bytes.toString('utf8'), bytes });
    start = end;
  }
  return chunks;
}
