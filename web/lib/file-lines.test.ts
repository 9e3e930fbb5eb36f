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

  it('says which line an addition changed first: the open one', () => {
    const file = fed(['a\nb\n']);
    expect(appendText(file, 'c')).toBe(2);
    expect(appendText(file, 'd\ne')).toBe(2);
    expect(appendText(file, 'f')).toBe(3);
    expect(linesText(file, 2, 4)).toBe('cd\nef');
  });

  it('draws the lines in view and a few on each side, moving in steps', () => {
    const check = (total: number, top: number, follow: boolean) => {
      const range = linesInView(total, { top, rows: 10, follow }, 5);
      const shownTop = follow ? Math.max(0, total - 10) : Math.min(top, Math.max(0, total - 10));
      // Everything in view is drawn, with the spare lines around it where there are any.
      expect(range.first).toBeLessThanOrEqual(Math.max(0, Math.floor(shownTop) - 5));
      expect(range.last).toBeGreaterThanOrEqual(Math.min(total, Math.ceil(shownTop) + 10 + 5));
      expect(range.first % 5).toBe(0);
      return range;
    };
    expect(check(100, 0, true)).toEqual({ first: 85, last: 100 });
    expect(check(100, 40.5, false)).toEqual({ first: 35, last: 60 });
    expect(check(100, 0, false)).toEqual({ first: 0, last: 25 });
    expect(check(3, 0, true)).toEqual({ first: 0, last: 3 });
    // A view past the end (the text was replaced by a shorter one) draws the end.
    expect(check(20, 50, false)).toEqual({ first: 5, last: 20 });
    // Scrolling line by line moves the drawn stretch once every 5 lines.
    const firsts = new Set<number>();
    for (let top = 40; top < 50; top += 1) firsts.add(check(1000, top, false).first);
    expect([...firsts]).toEqual([35, 40]);
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

  it('keeps the same end from the end before and what was added as from the whole text', () => {
    // Text that differs along its length, so that an end taken from the wrong place shows.
    const text = (length: number, from: number) =>
      Array.from({ length }, (_, i) => String.fromCharCode(33 + ((from + i * 7) % 90))).join('');
    const before = text(300, 0);
    for (const length of [0, 1, 5, 255, 256, 257, 5000]) {
      const added = text(length, 11);
      expect(textEnd(textEnd(before), added)).toBe(textEnd(before + added));
      expect(textEnd('short', added)).toBe(`short${added}`.slice(-256));
    }
  });
});
