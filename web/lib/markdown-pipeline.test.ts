import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import Markdown from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { describe, expect, it } from 'vitest';
import { markdownPlugins, rehypeHighlightOnce } from './markdown-pipeline.ts';

/** The page's render of `text`, as markdown-text.tsx makes it. */
const pageRender = (text: string) =>
  renderToStaticMarkup(createElement(Markdown, markdownPlugins(text), text));

/** The same text through rehype-highlight as it comes, a highlighter made for this render. */
const stockRender = (text: string) =>
  renderToStaticMarkup(
    createElement(Markdown, { remarkPlugins: [remarkGfm], rehypePlugins: [rehypeHighlight] }, text),
  );

describe('markdownPlugins', () => {
  it('highlights every fence as rehype-highlight does, render after render', () => {
    const texts = [
      '```ts\nconst a: number = 1; // one\n```',
      'Then:\n\n```python\ndef f(x):\n    return "x"\n```\n\nand `inline`.',
      '```no-such-language\nplain <b>text</b>\n```',
      '```\nno language\n```',
      '```html\n<p class="a">&amp;</p>\n<script>let a = 1;</script>\n<style>p { color: red }</style>\n```',
      '```ts\nconst a: number = 1; // one\n```',
    ];
    for (const text of texts) expect(pageRender(text)).toBe(stockRender(text));
    // The same highlighter drew them all: a TypeScript fence comes out highlighted again.
    expect(pageRender(texts[0] ?? '')).toContain('<span class="hljs-keyword">const</span>');
    expect(rehypeHighlightOnce()).toBe(rehypeHighlightOnce());
  });

  it('leaves prose without a fence to GFM alone', () => {
    expect(pageRender('| a |\n| - |\n| b |')).toContain('<table>');
  });
});
