import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import Markdown from 'react-markdown';
import { describe, expect, it } from 'vitest';
import { hasCodeFence, markdownBlocks, openFenceCut } from './markdown-blocks.ts';
import { markdownPlugins } from './markdown-pipeline.ts';
import { randomItem, seededRandom } from './test-support/seeded-random.ts';

describe('markdownBlocks', () => {
  it('cuts at blank lines before a block at the margin, and loses nothing', () => {
    const text = '# Title\n\nA paragraph\nstill.\n\n- a\n- b\n\nEnd';
    const blocks = markdownBlocks(text);
    expect(blocks).toEqual(['# Title\n', 'A paragraph\nstill.\n', '- a\n- b\n', 'End']);
    expect(blocks.join('\n')).toBe(text);
  });

  it('never cuts inside a code fence', () => {
    const text = 'Code:\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\nAfter';
    expect(markdownBlocks(text)).toEqual([
      'Code:\n',
      '```ts\nconst a = 1;\n\nconst b = 2;\n```\n',
      'After',
    ]);
  });

  it('keeps an indented continuation with its list item', () => {
    const text = '1. First\n\n   more about the first\n\n2. Second';
    expect(markdownBlocks(text)).toEqual(['1. First\n\n   more about the first\n', '2. Second']);
  });

  it('handles an unfinished fence while streaming', () => {
    expect(markdownBlocks('Hi\n\n```js\nlet x\n\ny')).toEqual(['Hi\n', '```js\nlet x\n\ny']);
  });

  it('sees code fences', () => {
    expect(hasCodeFence('a\n```js\nx\n```')).toBe(true);
    expect(hasCodeFence('inline `code` only')).toBe(false);
  });
});

/** The text of the page's render of `block` (markdown-pipeline.ts), as a browser reads it. */
function shownText(block: string): string {
  const html = renderToStaticMarkup(createElement(Markdown, markdownPlugins(block), block));
  return html
    .replace(/<[^>]*>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#x27;', "'")
    .replaceAll('&amp;', '&');
}

/** The code's rendered lines: a last line break shows no line of its own. */
const lines = (text: string) => text.replace(/\n$/, '');

describe('openFenceCut', () => {
  it('cuts an open code block after its last line break', () => {
    expect(openFenceCut('```ts\nconst a = 1;\nconst b')).toBe(19);
    expect(openFenceCut('```ts\nconst a = 1;\n')).toBe(19);
    expect(openFenceCut('~~~\nx')).toBe(4);
    expect(openFenceCut('```\n')).toBe(4);
  });

  it('leaves alone what is not an open code block at the margin, or may close', () => {
    for (const block of [
      'Text\n```ts\nx',
      '```ts',
      '  ```ts\n  x',
      '```ts\nx\n```',
      '```ts\nx\n  `',
      '~~~\nx\n~',
      '```a`b\nx',
      '- item\n\n  ```ts\n  x',
      '```ts\nx\r\ny',
    ]) {
      expect(openFenceCut(block), block).toBe(null);
    }
  });

  it('shows what the whole block would, rendered up to the cut and the rest as it is (random code against the real renderer)', () => {
    const pieces = [
      '\r\n',
      '\r',
      'a',
      'const',
      ' ',
      '  ',
      '\t',
      '\n',
      '\n\n',
      '`',
      '~',
      '<b>',
      '&amp;',
      '*x*',
      '_',
      '\\',
      '#',
      '-',
      '>',
      '|',
      '1.',
      '"',
      "'",
      'é',
      '{',
      '}',
    ];
    const random = seededRandom(11);
    const pick = () => randomItem(random, pieces);
    let cut = 0;
    for (let round = 0; round < 60; round++) {
      const openers = ['```ts\n', '~~~\n', '````\n', '```ts\r\n', '~~~ a`b\n', '```js title\n'];
      let block = randomItem(random, openers);
      const length = 1 + Math.floor(random() * 20);
      for (let i = 0; i < length; i++) {
        block += pick();
        const at = openFenceCut(block);
        if (at === null) continue;
        cut += 1;
        const shown = shownText(block.slice(0, at)) + block.slice(at);
        expect(lines(shown), JSON.stringify(block)).toBe(lines(shownText(block)));
      }
    }
    // Most of the texts are cut: the check is not an empty one.
    expect(cut).toBeGreaterThan(250);
  }, 30_000);
});
