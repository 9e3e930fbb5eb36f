import { describe, expect, it } from 'vitest';
import {
  appendText,
  continuesShown,
  emptyFileLines,
  lineCount,
  lineNumbers,
  linesInView,
  linesText,
  textEnd,
} from './file-lines.ts';

function fed(pieces: string[]) {
  const file = emptyFileLines();
  for (const piece of pieces) appendText(file, piece);
  return file;
}

describe('file lines', () => {
  it('keeps a text that arrives in pieces as lines, whatever the pieces cut', () => {
    const text = 'first line\nsecond\n\nfourth, longest of all\nopen';
    for (const cut of [1, 3, 7, text.length]) {
      const pieces: string[] = [];
      for (let at = 0; at < text.length; at += cut) pieces.push(text.slice(at, at + cut));
      const file = fed(pieces);
      expect(file.complete).toEqual(['first line', 'second', '', 'fourth, longest of all']);
      expect(file.open).toBe('open');
      expect(file.widest).toBe('fourth, longest of all'.length);
      expect(linesText(file, 0, lineCount(file))).toBe(text);
    }
  });

  it('counts an empty last line after a final line break, as an editor does', () => {
    const file = fed(['a\nb\n']);
    expect(lineCount(file)).toBe(3);
    expect(linesText(file, 0, 3)).toBe('a\nb\n');
    expect(linesText(file, 1, 2)).toBe('b');
    expect(lineNumbers(1, 3)).toBe('2\n3');
    expect(lineNumbers(3, 3)).toBe('');
  });

  it('draws the lines in view and a few on each side', () => {
    // Following the end: the last 10 rows, 2 spare above.
    expect(linesInView(100, { top: 0, rows: 10, follow: true }, 2)).toEqual({
      first: 88,
      last: 100,
    });
    // Scrolled to line 40.5: lines 38 to 52.
    expect(linesInView(100, { top: 40.5, rows: 10, follow: false }, 2)).toEqual({
      first: 38,
      last: 53,
    });
    // At the top, and a text shorter than the view.
    expect(linesInView(100, { top: 0, rows: 10, follow: false }, 2)).toEqual({
      first: 0,
      last: 13,
    });
    expect(linesInView(3, { top: 0, rows: 10, follow: true }, 2)).toEqual({ first: 0, last: 3 });
    // A view past the end (the text was replaced by a shorter one) still draws its end.
    expect(linesInView(20, { top: 50, rows: 10, follow: false }, 2)).toEqual({
      first: 8,
      last: 20,
    });
  });

  it('recognises text that continues what is shown from its end alone', () => {
    const shown = `${'x'.repeat(1000)}tail`;
    expect(continuesShown(`${shown} and more`, shown.length, textEnd(shown))).toBe(true);
    expect(continuesShown(shown, shown.length, textEnd(shown))).toBe(true);
    expect(continuesShown(`${'x'.repeat(1000)}TAIL and more`, shown.length, textEnd(shown))).toBe(
      false,
    );
    expect(continuesShown('short', shown.length, textEnd(shown))).toBe(false);
    expect(continuesShown('anything', 0, '')).toBe(true);
  });
});
