import { memo, useDeferredValue } from 'react';
import Markdown from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { hasCodeFence, markdownBlocks } from '../lib/markdown-blocks.ts';

const remarkPlugins = [remarkGfm];
const withHighlighting = [rehypeHighlight];
const plain: [] = [];

const Rendered = memo(function Rendered({ text }: { text: string }) {
  return (
    <Markdown
      remarkPlugins={remarkPlugins}
      rehypePlugins={hasCodeFence(text) ? withHighlighting : plain}
    >
      {text}
    </Markdown>
  );
});

/**
 * Claude's text as GitHub-flavoured markdown with highlighted code. While it streams, it is
 * rendered block by block (only the growing last block is parsed again) and the parsing is
 * deferred, so React renders the newest text when it has time: a burst of deltas costs a few
 * parses, and the page stays responsive. Once complete, it is rendered whole, once.
 */
export function MarkdownText({ text, streaming }: { text: string; streaming: boolean }) {
  const deferred = useDeferredValue(text);
  return (
    <div className="markdown break-words">
      {streaming ? (
        markdownBlocks(deferred).map((block, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks only grow at the end; the index is their identity.
          <Rendered key={index} text={block} />
        ))
      ) : (
        <Rendered text={deferred} />
      )}
    </div>
  );
}
