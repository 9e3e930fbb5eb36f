import {
  type ComponentPropsWithoutRef,
  memo,
  type RefObject,
  useDeferredValue,
  useMemo,
} from 'react';
import Markdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { useLiveTail } from '../hooks/use-live-tail.ts';
import { hasCodeFence, markdownBlocks } from '../lib/markdown-blocks.ts';

const remarkPlugins = [remarkGfm];
const withHighlighting = [rehypeHighlight];
const plain: [] = [];

const Rendered = memo(function Rendered({
  text,
  components,
}: {
  text: string;
  components?: Components;
}) {
  return (
    <Markdown
      remarkPlugins={remarkPlugins}
      rehypePlugins={hasCodeFence(text) ? withHighlighting : plain}
      {...(components ? { components } : {})}
    >
      {text}
    </Markdown>
  );
});

/** Paragraphs of the growing last block end with the live tail (see use-live-tail.ts). */
function withTail(tail: RefObject<HTMLSpanElement | null>): Components {
  return {
    p: ({
      node: _node,
      children,
      ...props
    }: ComponentPropsWithoutRef<'p'> & { node?: unknown }) => (
      <p {...props}>
        {children}
        <span ref={tail} className="whitespace-pre-wrap" data-live-tail="" />
      </p>
    ),
  };
}

/**
 * Claude's text as GitHub-flavoured markdown with highlighted code. While it streams, it is
 * rendered block by block (only the growing last block is parsed again) and the parsing is
 * deferred, so React renders the newest text when it has time: a burst of deltas costs a few
 * parses, and the page stays responsive. Meanwhile what arrives between two renders is shown at
 * once, as plain text at the end of the last paragraph. Once complete, it is rendered whole, once.
 */
export function MarkdownText({
  text,
  streaming,
  turn,
  index,
}: {
  text: string;
  streaming: boolean;
  /** Which assistant turn and block this is: where the live tail reads from. */
  turn: number;
  index: number;
}) {
  const deferred = useDeferredValue(text);
  if (!streaming) {
    return (
      <div className="markdown break-words">
        <Rendered text={deferred} />
      </div>
    );
  }
  return <StreamingMarkdown text={deferred} turn={turn} index={index} />;
}

function StreamingMarkdown({ text, turn, index }: { text: string; turn: number; index: number }) {
  const tail = useLiveTail(turn, index, text);
  const components = useMemo(() => withTail(tail), [tail]);
  const blocks = markdownBlocks(text);
  return (
    <div className="markdown break-words">
      {blocks.map((block, at) => (
        <Rendered
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks only grow at the end; the index is their identity.
          key={at}
          text={block}
          {...(at === blocks.length - 1 ? { components } : {})}
        />
      ))}
    </div>
  );
}
