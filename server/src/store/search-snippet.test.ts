import { describe, expect, it } from 'vitest';
import { findMatch, likePattern, searchSnippet } from './search-snippet.ts';

describe('a search snippet', () => {
  it('marks the match as the text has it, with the text around it', () => {
    expect(searchSnippet('Take tram 28 to the castle', 'TRAM 28')).toEqual({
      before: 'Take ',
      match: 'tram 28',
      after: ' to the castle',
    });
    expect(searchSnippet('Café de São Bento', 'são')).toEqual({
      before: 'Café de ',
      match: 'São',
      after: ' Bento',
    });
    expect(searchSnippet('nothing here', 'tram')).toBeNull();
  });

  it('keeps to one line and cuts a long text at words, marking the cuts', () => {
    const words = (from: number) => Array.from({ length: 30 }, (_, i) => `w${from + i}`).join(' ');
    const snippet = searchSnippet(`${words(0)}\n\nthe NEEDLE\there ${words(100)}`, 'needle');
    expect(snippet?.match).toBe('NEEDLE');
    expect(snippet?.before).toMatch(/^…w\d+ .* the $/);
    expect(snippet?.after).toMatch(/^ here w100 .* w\d+…$/);
    expect(`${snippet?.before}${snippet?.after}`).not.toMatch(/[\n\t]/);
  });

  it('never splits an emoji where it cuts', () => {
    const text = `${'😀'.repeat(40)}needle${'😀'.repeat(40)}`;
    const snippet = searchSnippet(text, 'needle');
    expect(snippet?.before).not.toMatch(/[\uD800-\uDFFF](?![\uDC00-\uDFFF])/u);
    expect(() => encodeURIComponent(`${snippet?.before}${snippet?.after}`)).not.toThrow();
  });

  it('takes the query literally', () => {
    expect(findMatch('a.b', '.')).toEqual({ start: 1, end: 2 });
    expect(findMatch('(x)', '(x)')).toEqual({ start: 0, end: 3 });
    expect(findMatch('abc', 'a.c')).toBeNull();
    expect(likePattern('100%_x\\')).toBe('%100\\%\\_x\\\\%');
  });
});
