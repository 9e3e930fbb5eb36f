// How the page turns Claude's markdown into React elements: GitHub-flavoured, with code fences
// highlighted. One place, so that the page's renders and the warm-up before the first one
// (markdown-warm-up.ts) run the same code.
import type { Options } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { hasCodeFence } from './markdown-blocks.ts';

let highlighter: ReturnType<typeof rehypeHighlight> | null = null;

/**
 * rehype-highlight with one highlighter for the page's life. react-markdown builds its processor
 * anew at every render, and rehype-highlight's attacher makes a new highlighter each time: its 37
 * languages registered again, and the fence's grammar compiled again when it is first used
 * (docs/performance.md). This attacher makes it at the first fence, and gives every processor
 * after that the same transformer, which keeps no state between trees.
 */
export function rehypeHighlightOnce() {
  highlighter ??= rehypeHighlight();
  return highlighter;
}

const remarkPlugins = [remarkGfm];
const withHighlighting = [rehypeHighlightOnce];
const plain: [] = [];

/** react-markdown's plugins for `text`: the highlighter only runs where there is a fence. */
export function markdownPlugins(text: string): Pick<Options, 'remarkPlugins' | 'rehypePlugins'> {
  return {
    remarkPlugins,
    rehypePlugins: hasCodeFence(text) ? withHighlighting : plain,
  };
}
