import { describe, expect, it } from 'vitest';
import { startingAt, type TailPieces, tailFromText, tailText, withDelta } from './tail-pieces.ts';

describe('tail pieces', () => {
  it('keeps what arrived past the shown text, delta by delta', () => {
    let live = 'Hello';
    let tail: TailPieces = tailFromText(live, live.length);
    expect(tailText(tail)).toBe('');
    for (const delta of [' wor', 'ld', ', and more']) {
      live += delta;
      tail = withDelta(tail, delta, live.length) ?? tailFromText(live, tail.from);
      expect(tailText(tail)).toBe(live.slice(5));
    }
    // The markdown caught up to the middle of a piece: the tail starts there.
    tail = startingAt(tail, 'Hello wo'.length);
    expect(tailText(tail)).toBe('rld, and more');
    expect(tail.pieces).toHaveLength(3);
    tail = startingAt(tail, live.length);
    expect(tailText(tail)).toBe('');
    expect(tail.pieces).toHaveLength(0);
  });

  it('asks for a resync when a delta does not account for the growth', () => {
    const tail = tailFromText('abc', 1);
    expect(tailText(tail)).toBe('bc');
    expect(withDelta(tail, 'de', 6)).toBeNull();
    expect(withDelta(tail, 'de', 5)).not.toBeNull();
    expect(tailText(tailFromText('abcdef', 2))).toBe('cdef');
  });
});
