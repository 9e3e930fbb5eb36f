import { describe, expect, it } from 'vitest';
import { grownText } from './grown-text.ts';

describe('grownText', () => {
  it('appends, whatever the lengths, across the steps where the text is joined', () => {
    let text = '';
    let expected = '';
    for (let i = 0; i < 5000; i++) {
      const piece = `word${i} `.repeat((i % 7) + 1);
      text = grownText(text, piece);
      expected += piece;
    }
    expect(text.length).toBeGreaterThan(100_000);
    expect(text).toBe(expected);
  });

  it('appends to and from the empty string', () => {
    expect(grownText('', '')).toBe('');
    expect(grownText('', 'a')).toBe('a');
    expect(grownText('a', '')).toBe('a');
  });
});
