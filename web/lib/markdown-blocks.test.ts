import { describe, expect, it } from 'vitest';
import { hasCodeFence, markdownBlocks } from './markdown-blocks.ts';

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
