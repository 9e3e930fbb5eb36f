import { type ComponentPropsWithoutRef, memo, useMemo, useRef } from 'react';
import Markdown, { type Components } from 'react-markdown';
import { LIVE_TAIL, useLiveTail } from '../hooks/use-live-tail.ts';
import { markdownBlocks } from '../lib/markdown-blocks.ts';
import { markdownPlugins } from '../lib/markdown-pipeline.ts';
import { CopyButton } from './copy-button.tsx';
import type { Ui } from './ui.ts';

const Rendered = memo(function Rendered({
  text,
  components,
}: {
  text: string;
  components?: Components;
}) {
  return (
    <Markdown {...markdownPlugins(text)} {...(components ? { components } : {})}>
      {text}
    </Markdown>
  );
});

/**
 * Paragraphs of the growing last block end with a span for the live tail (use-live-tail.ts). The
 * span has no children for React: the hook owns its text, and adds to it without reading it back.
 */
const withTail: Components = {
  p: ({ node: _node, children, ...props }: ComponentPropsWithoutRef<'p'> & { node?: unknown }) => (
    <p {...props}>
      {children}
      <span className="whitespace-pre-wrap" {...{ [LIVE_TAIL]: '' }} />
    </p>
  ),
};

/** A finished answer's code blocks, each with a button that copies its code as shown. */
function useCodeBlocksWithCopy(ui: Ui): Components {
  return useMemo(
    () => ({
      pre: ({ node: _node, ...props }: ComponentPropsWithoutRef<'pre'> & { node?: unknown }) => (
        <CodeBlock ui={ui} {...props} />
      ),
    }),
    [ui],
  );
}

function CodeBlock({ ui, ...props }: ComponentPropsWithoutRef<'pre'> & { ui: Ui }) {
  const pre = useRef<HTMLPreElement>(null);
  return (
    <div className="relative">
      <pre ref={pre} {...props} />
      <div className="absolute top-1 right-1">
        <CopyButton ui={ui} label={ui.t('copyCode')} text={() => pre.current?.textContent ?? ''} />
      </div>
    </div>
  );
}

/**
 * How often a streaming answer's markdown is parsed again, at most: the conversation view
 * announces the text deltas the live tail shows at this pace (frame-batched.ts), and those that
 * only add plain words not at all (plain-continuation.ts). What arrives in between is on screen
 * at once anyway, as plain text at the end of the last paragraph (the live tail); the markdown
 * then formats it. Parsing at every frame kept the page's main thread busy enough that the next
 * delta waited for it.
 */
export const MARKDOWN_EVERY_MS = 50;

/**
 * Claude's text as GitHub-flavoured markdown with highlighted code. While it streams, it is
 * rendered block by block (only the growing last block is parsed again), in the frame that paints
 * the delta that brought it (not deferred: a render in a task of its own would need a frame of its
 * own, and delay the next delta's). Its renders come at most every MARKDOWN_EVERY_MS, and only
 * when a delta brings something to format, so a burst of deltas costs a few parses and plain prose
 * almost none; meanwhile what arrives is shown at once, as plain text at the end of the last
 * paragraph. Once complete, it is rendered whole, once.
 */
export function MarkdownText({
  ui,
  text,
  streaming,
  turn,
  index,
}: {
  ui: Ui;
  text: string;
  streaming: boolean;
  /** Which assistant turn and block this is: where the live tail reads from. */
  turn: number;
  index: number;
}) {
  const withCopy = useCodeBlocksWithCopy(ui);
  if (!streaming) {
    return (
      <div className="markdown break-words">
        <Rendered text={text} components={withCopy} />
      </div>
    );
  }
  return <StreamingMarkdown text={text} turn={turn} index={index} />;
}

function StreamingMarkdown({ text, turn, index }: { text: string; turn: number; index: number }) {
  const container = useLiveTail(turn, index, text);
  const blocks = markdownBlocks(text);
  return (
    <div ref={container} className="markdown break-words">
      {blocks.map((block, at) => (
        <Rendered
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks only grow at the end; the index is their identity.
          key={at}
          text={block}
          {...(at === blocks.length - 1 ? { components: withTail } : {})}
        />
      ))}
    </div>
  );
}
