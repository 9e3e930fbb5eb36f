import { type ComponentPropsWithoutRef, memo, useMemo, useRef } from 'react';
import Markdown, { type Components } from 'react-markdown';
import { LIVE_TAIL, useLiveTail } from '../hooks/use-live-tail.ts';
import { markdownBlocks, openFenceCut } from '../lib/markdown-blocks.ts';
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

/**
 * A growing code block's code ends with a span for the live tail: the lines past the markdown's
 * render, shown as they are (as the block's code shows them, only not yet highlighted). The
 * render ends at a line's end, so the tail starts a line, and the rendered lines and the tail can
 * be blocks of their own: as the tail grows, the lines above it (a positioned block, so a paint
 * layer of its own) need not be painted again.
 */
const withCodeTail: Components = {
  code: ({
    node: _node,
    children,
    ...props
  }: ComponentPropsWithoutRef<'code'> & { node?: unknown }) => (
    <code {...props}>
      <span className="relative block">{children}</span>
      <span className="block" {...{ [LIVE_TAIL]: 'code' }} />
    </code>
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
 * at once anyway, as plain text at the end of the last paragraph or code block (the live tail);
 * the markdown then formats it. Parsing at every frame kept the page's main thread busy enough
 * that the next delta waited for it.
 */
export const MARKDOWN_EVERY_MS = 50;

/**
 * Claude's text as GitHub-flavoured markdown with highlighted code. While it streams, it is
 * rendered block by block (only the growing last block is parsed again), in the frame that paints
 * the delta that brought it (not deferred: a render in a task of its own would need a frame of its
 * own, and delay the next delta's). Its renders come at most every MARKDOWN_EVERY_MS, and only
 * when a delta brings something to format, so a burst of deltas costs a few parses and plain prose
 * almost none; meanwhile what arrives is shown at once, as plain text at the end of the last
 * paragraph or code block. Once complete, it is rendered whole, once.
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
  const blocks = markdownBlocks(text);
  const last = blocks.length - 1;
  const lastBlock = blocks[last] ?? '';
  // A growing code block is rendered up to its last line break: the line being written, and any
  // after it, are the live tail's, at the end of the code. So the code is parsed and highlighted
  // again once a line is complete, not at every delta.
  const cut = openFenceCut(lastBlock);
  const shown = cut === null ? text : text.slice(0, text.length - lastBlock.length + cut);
  // Markdown drops the whitespace at the end of a paragraph, so a paragraph's tail starts before
  // it; code shows its text as it is.
  const container = useLiveTail(
    turn,
    index,
    shown,
    cut === null ? shown.trimEnd().length : shown.length,
  );
  return (
    <div ref={container} className="markdown break-words">
      {blocks.map((block, at) => (
        <Rendered
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks only grow at the end; the index is their identity.
          key={at}
          text={at === last && cut !== null ? block.slice(0, cut) : block}
          {...(at === last ? { components: cut === null ? withTail : withCodeTail } : {})}
        />
      ))}
    </div>
  );
}
