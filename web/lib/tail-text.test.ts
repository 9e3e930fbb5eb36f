import { describe, expect, it } from 'vitest';
import {
  startingAt,
  type TailText,
  tailAt,
  tailFromText,
  takeRange,
  withDelta,
} from './tail-text.ts';

describe('the tail text', () => {
  it('keeps what arrived past the shown text, delta by delta', () => {
    let live = 'Hello';
    let tail: TailText = tailFromText(live, live.length);
    expect(tail.text).toBe('');
    for (const delta of [' wor', 'ld', ', and more']) {
      live += delta;
      tail = withDelta(tail, delta, live.length) ?? tailFromText(live, tail.from);
      expect(tail.text).toBe(live.slice(5));
    }
    // The markdown caught up to the middle of a delta: the tail starts there.
    tail = startingAt(tail, 'Hello wo'.length);
    expect(tail.text).toBe('rld, and more');
    tail = startingAt(tail, live.length);
    expect(tail.text).toBe('');
  });

  it('leaves out what the markdown already shows when it rendered before the tail saw a delta', () => {
    // Mounted with the block's first delta already rendered: "Under" is shown, "Understood" live.
    let tail = startingAt(tailFromText('', 0), 'Under'.length);
    expect(tail).toEqual({ from: 5, length: 0, text: '' });
    tail = withDelta(tail, 'Under', 5) ?? tailFromText('Under', tail.from);
    expect(tail.text).toBe('');
    tail = withDelta(tail, 'stood', 10) ?? tailFromText('Understood', tail.from);
    expect(tail.text).toBe('stood');
    // A delta that straddles what is shown: only its unseen part.
    let straddling = startingAt(tailFromText('ab', 2), 4);
    straddling = withDelta(straddling, 'cdef', 6) ?? tailFromText('abcdef', 4);
    expect(straddling.text).toBe('ef');
  });

  it('asks for a resync when a delta does not account for the growth', () => {
    const tail = tailFromText('abc', 1);
    expect(tail.text).toBe('bc');
    expect(withDelta(tail, 'de', 6)).toBeNull();
    expect(withDelta(tail, 'de', 5)?.text).toBe('bcde');
    expect(tailFromText('abcdef', 2).text).toBe('cdef');
  });
});

describe('taking a range of the tail', () => {
  it('gives what arrived between two lengths and keeps the rest', () => {
    let tail = tailAt(10);
    tail = withDelta(tail, 'abcd', 14) ?? tailAt(14);
    tail = withDelta(tail, 'efgh', 18) ?? tailAt(18);
    const first = takeRange(tail, 10, 16);
    expect(first.text).toBe('abcdef');
    expect(first.tail).toEqual({ from: 16, length: 18, text: 'gh' });
    const second = takeRange(first.tail, 16, 18);
    expect(second.text).toBe('gh');
    expect(second.tail).toEqual(tailAt(18));
  });

  it('gives nothing for text it never saw, and starts again where the reader is', () => {
    // The panel shows 0..10, the tail began at 12 (it subscribed later): read 10..16 elsewhere.
    const tail = withDelta(tailAt(12), 'abcd', 16) ?? tailAt(16);
    const taken = takeRange(tail, 10, 16);
    expect(taken.text).toBeNull();
    expect(taken.tail).toEqual(tailAt(16));
    // The reader is ahead of the tail (events it missed): the tail restarts at the reader.
    const behind = takeRange(tailAt(5), 5, 9);
    expect(behind.text).toBeNull();
    expect(behind.tail).toEqual(tailAt(9));
    // Text that went back (another run): nothing, and the tail follows the new end.
    expect(takeRange(tailAt(9), 12, 9).text).toBeNull();
  });
});
