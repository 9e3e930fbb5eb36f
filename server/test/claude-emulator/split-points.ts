// Cuts strings and byte buffers at arbitrary points, the way the real API's deltas and TCP
// segments fall: a client that only works when a delta holds a whole key, a whole escape or a whole
// UTF-8 character is broken, and these splits are what expose it.

import { randomInt } from './seeded-random.ts';

const MAX_PIECE_CHARS = 7;
const MAX_WRITES_PER_EVENT = 4;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Splits `text` into non-empty pieces of random length. A cut never separates the two halves of a
 * surrogate pair: the API sends whole code points, and a lone surrogate would not survive UTF-8.
 */
export function splitText(text: string, random: () => number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + randomInt(random, 1, MAX_PIECE_CHARS));
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end += 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/**
 * Splits `bytes` into 1..4 non-empty slices at random byte offsets, deliberately ignoring UTF-8
 * character boundaries: TCP does not know about them either.
 */
export function splitBytes(bytes: Uint8Array, random: () => number): Uint8Array[] {
  const cuts = new Set<number>();
  const wanted = randomInt(random, 0, MAX_WRITES_PER_EVENT - 1);
  for (let i = 0; i < wanted && bytes.length > 1; i++)
    cuts.add(randomInt(random, 1, bytes.length - 1));
  const offsets = [0, ...[...cuts].sort((a, b) => a - b), bytes.length];
  const slices: Uint8Array[] = [];
  for (let i = 0; i + 1 < offsets.length; i++) {
    slices.push(bytes.subarray(offsets[i], offsets[i + 1]));
  }
  return slices;
}
