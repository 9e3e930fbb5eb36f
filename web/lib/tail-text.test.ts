import { describe, expect, it } from 'vitest';
import { startingAt, type TailText, tailFromText, withDelta } from './tail-text.ts';

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
