// How the page turns Claude's markdown into React elements: GitHub-flavoured, with code fences
// highlighted. One place, so that the page's renders and the warm-up before the first one
// (markdown-warm-up.ts) run the same code.
import type { Options } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { hasCodeFence } from './markdown-blocks.ts';

const remarkPlugins = [remarkGfm];
const withHighlighting = [rehypeHighlight];
const plain: [] = [];

/** react-markdown's plugins for `text`: the highlighter only runs where there is a fence. */
export function markdownPlugins(text: string): Pick<Options, 'remarkPlugins' | 'rehypePlugins'> {
  return {
    remarkPlugins,
    rehypePlugins: hasCodeFence(text) ? withHighlighting : plain,
  };
}
