import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { describe, expect, it } from 'vitest';
import {
  continuesPlainly,
  endAfter,
  endOf,
  spacedOtherwise,
  TEXT_START,
} from './plain-continuation.ts';
import { randomItem, seededRandom } from './test-support/seeded-random.ts';

/** As renderToStaticMarkup escapes text. */
const escapeHtml = (text: string) => text.replaceAll('"', '&quot;').replaceAll("'", '&#x27;');
/** Whitespace as a browser shows it in a paragraph: runs as one space, none at the end. */
const squeeze = (markup: string) => markup.replace(/\s+/g, ' ').replace(/ <\/p>/g, '</p>');

const plainAfter = (before: string, text: string) => continuesPlainly(endOf(before), text);

/** The page's markdown, as HTML (markdown-text.tsx renders with the same plugins). */
const html = (text: string) =>
  renderToStaticMarkup(createElement(Markdown, { remarkPlugins: [remarkGfm] }, text));

describe('continuesPlainly', () => {
  it('lets words, spaces and everyday punctuation lengthen a paragraph', () => {
    expect(plainAfter('The answer', ' is forty-two, of course.')).toBe(true);
    expect(plainAfter('Hello', ' world')).toBe(true);
    expect(plainAfter('Hello ', 'world!')).toBe(true);
    expect(plainAfter('Olá, ', 'tudo bem? Sim; é "simples".')).toBe(true);
    expect(plainAfter('x | y', ' | z')).toBe(true);
  });

  it('holds back markup and line breaks', () => {
    for (const text of [
      '**bold',
      ' `code',
      ' [link',
      ' <b>',
      ' a_b',
      ' 1 & 2',
      ' a\\',
      '\n',
      ' ~x',
    ]) {
      expect(plainAfter('Hello', text), text).toBe(false);
    }
    expect(plainAfter('see', ' https://example.com')).toBe(false);
    expect(plainAfter('write to', ' me@example.com')).toBe(false);
  });

  it('holds back what continues a word that holds markup, or an autolink', () => {
    expect(plainAfter('snake_', 'case')).toBe(false);
    expect(plainAfter('__bold__', 'er')).toBe(false);
    expect(plainAfter('snake_case', ' next')).toBe(true);
    expect(plainAfter('visit', ' www.example.com')).toBe(false);
    expect(plainAfter('visit www.exa', 'mple')).toBe(false);
    expect(plainAfter('visit www', ' later')).toBe(true);
    // GFM links `www.` after punctuation too, and a space is not the only one.
    expect(plainAfter('Visit "www', '.example')).toBe(false);
    expect(plainAfter('网址', '：www.example.com')).toBe(false);
    expect(plainAfter('Say "www.example.com', 'x')).toBe(false);
  });

  it('needs the line to have started as a paragraph', () => {
    expect(plainAfter('', 'Hello')).toBe(true);
    expect(plainAfter('a\n', '1')).toBe(false);
    expect(plainAfter('a\n1', '.')).toBe(false);
    expect(plainAfter('a\n1.', ' item')).toBe(false);
    expect(plainAfter('a\n12', '.5 percent')).toBe(true);
    expect(plainAfter('a\n2024', ' was')).toBe(true);
    expect(plainAfter('a\n', '1765057265123.456| ')).toBe(true);
    expect(plainAfter('a\n- ', 'item')).toBe(false);
    expect(plainAfter('a\n', '=')).toBe(false);
    expect(plainAfter('a\n', '| b')).toBe(false);
    expect(plainAfter('a\n  ', 'b')).toBe(true);
    expect(plainAfter('> quote', ' more')).toBe(false);
    expect(plainAfter('a\n', '"quoted" words')).toBe(false);
    expect(plainAfter('foo\r\r 1', '. item')).toBe(false);
  });

  it('holds back a paragraph that holds a bracket: a definition may take its lines', () => {
    expect(plainAfter('[a]: x\n"t', ' more"')).toBe(false);
    expect(plainAfter('Intro [foo]\n\n [foo]:\n/url', ' more')).toBe(false);
    expect(plainAfter('Text[^1] here.\n[^1]: note\nmore', ' words')).toBe(false);
    expect(plainAfter('Intro [foo]\n\nA new paragraph', ' goes on')).toBe(true);
  });

  it('holds back a run of spaces, which the paragraph shows as one', () => {
    expect(plainAfter('a', '  b')).toBe(false);
    expect(plainAfter('a ', ' b')).toBe(false);
  });

  it('reads the same end from the whole text as from its pieces', () => {
    const text = 'Intro\n\nwww.example.com and snake_case\n12.5 | more ';
    let end = TEXT_START;
    for (const piece of text.match(/.{1,3}/gs) ?? []) end = endAfter(end, piece);
    expect(end).toEqual(endOf(text));
  });

  it('never calls plain what changes the markdown (random texts against the real renderer)', () => {
    // Pieces that mix markup, list and table starts, autolinks and words. Whenever a piece is
    // called plain, the markdown of the text with it must be the markdown without it, with the
    // piece at the end of the last paragraph.
    const pieces = [
      'a',
      'word',
      'Word',
      ' so',
      ' ',
      ' ',
      '  ',
      '\n',
      '\n\n',
      '*',
      '_',
      '`',
      '1',
      '12',
      '.',
      ')',
      '-',
      '#',
      '>',
      '|',
      ':',
      '@',
      'www',
      '[',
      ']',
      '(',
      'x',
      '&',
      ';',
      '=',
      '~',
      '!',
      '"',
      'é',
      "'",
      '“',
      '¿',
      '：',
      '\u00a0',
      '\u3000',
      '\r',
      '\t',
      '.com',
      'www.',
      '[a]: ',
      '[^1]',
      '😀',
    ];
    const random = seededRandom(7);
    const pick = () => randomItem(random, pieces);
    let checked = 0;
    for (let n = 0; n < 5_000; n++) {
      let before = '';
      const length = 1 + Math.floor(random() * 12);
      for (let i = 0; i < length; i++) before += pick();
      const text = random() < 0.5 ? pick() : `${pick()}${pick()}${pick()}`;
      const shown = html(before);
      // The live tail exists only where the text ends in a paragraph, and shows what came after
      // the render's text without its trailing whitespace (use-live-tail.ts); it is handed to
      // the markdown if its whitespace would show otherwise (live-text.ts).
      const tail = before.slice(before.trimEnd().length) + text;
      if (!shown.endsWith('</p>') || spacedOtherwise(tail) || !plainAfter(before, text)) {
        continue;
      }
      checked++;
      const withTail = `${shown.slice(0, -'</p>'.length)}${escapeHtml(tail)}</p>`;
      expect(
        squeeze(html(before + text)),
        `${JSON.stringify(before)} + ${JSON.stringify(text)}`,
      ).toBe(squeeze(withTail));
    }
    expect(checked).toBeGreaterThan(300);
  });
});
