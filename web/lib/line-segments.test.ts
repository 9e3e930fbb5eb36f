import { describe, expect, it } from 'vitest';
import {
  appendToSegments,
  continuesShown,
  countLineBreaks,
  emptySegments,
  lineNumbers,
  type Segment,
  splitSegment,
  textEnd,
} from './line-segments.ts';

function feed(pieces: string[]) {
  let state = emptySegments;
  const segments: Segment[] = [];
  for (const piece of pieces) {
    const result = appendToSegments(state, piece);
    if (result.segment) segments.push(result.segment);
    state = result.state;
  }
  return { segments, state };
}

describe('line segments', () => {
  it('counts line breaks and numbers lines', () => {
    expect(countLineBreaks('a\nb\n\nc')).toBe(3);
    expect(lineNumbers(9, 11)).toBe('9\n10\n11');
    expect(lineNumbers(3, 2)).toBe('');
  });

  it('keeps the unfinished last line open until a chunk ends it', () => {
    const { segments, state } = feed(['ab', 'c\nd', 'e\n\nf']);
    expect(segments).toEqual([
      { text: 'abc\n', firstLine: 1, lines: 1 },
      { text: 'de\n\n', firstLine: 2, lines: 2 },
    ]);
    expect(state).toEqual({ openLine: 'f', openLineNumber: 4 });
  });

  it('rebuilds the file exactly, however it was cut', () => {
    const file = 'line 1\nline ü 2\n\nline 4 ✓\nend';
    for (const size of [1, 2, 3, 5, 8, 64]) {
      const pieces = file.match(new RegExp(`[^]{1,${size}}`, 'g')) ?? [];
      const { segments, state } = feed(pieces);
      expect(segments.map((s) => s.text).join('') + state.openLine).toBe(file);
      expect(state.openLineNumber).toBe(countLineBreaks(file) + 1);
      const numbered = segments.flatMap((s) =>
        lineNumbers(s.firstLine, s.firstLine + s.lines - 1).split('\n'),
      );
      expect(numbered).toEqual(['1', '2', '3', '4']);
    }
  });

  it('cuts a large segment into pieces of whole lines', () => {
    const segment = { text: 'a\nb\nc\nd\ne\n', firstLine: 10, lines: 5 };
    expect(splitSegment(segment, 2)).toEqual([
      { text: 'a\nb\n', firstLine: 10, lines: 2 },
      { text: 'c\nd\n', firstLine: 12, lines: 2 },
      { text: 'e\n', firstLine: 14, lines: 1 },
    ]);
    expect(splitSegment(segment, 100)).toEqual([segment]);
  });

  it('recognises text that continues what is shown, and text that replaced it', () => {
    const shown = `${'line of the file\n'.repeat(100)}last`;
    const continues = (text: string) => continuesShown(text, shown.length, textEnd(shown));
    expect(continues(shown)).toBe(true);
    expect(continues(`${shown} line, continued\n`)).toBe(true);
    expect(continues('')).toBe(false);
    expect(continues(shown.slice(0, -1))).toBe(false);
    // A partly received escape that became its character changes the end: start afresh.
    expect(continues(`${shown.slice(0, -4)}·ast and more`)).toBe(false);
    expect(continues(`another file\n${shown}`)).toBe(false);
    // Short texts are compared whole.
    expect(continuesShown('abc', 2, textEnd('ab'))).toBe(true);
    expect(continuesShown('xbc', 2, textEnd('ab'))).toBe(false);
  });
});
