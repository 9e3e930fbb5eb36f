import type { AssistantBlock, AssistantItem, ToolInfo } from '@tollgate/machines';
import { memo } from 'react';
import { toolTitle } from '../lib/tool-summary.ts';
import { CopyButton } from './copy-button.tsx';
import { MarkdownText } from './markdown-text.tsx';
import { ThinkingBlock } from './thinking-block.tsx';
import { TypingIndicator } from './typing-indicator.tsx';
import type { Ui } from './ui.ts';
import { UsageLine } from './usage-line.tsx';

function BlockView({
  ui,
  turn,
  block,
  streaming,
  tools,
}: {
  ui: Ui;
  turn: number;
  block: AssistantBlock;
  streaming: boolean;
  tools: ReadonlyMap<string, ToolInfo>;
}) {
  switch (block.type) {
    case 'text':
      return block.text.trim() === '' ? null : (
        <MarkdownText
          ui={ui}
          text={block.text}
          streaming={streaming}
          turn={turn}
          index={block.index}
        />
      );
    case 'thinking':
      return <ThinkingBlock ui={ui} thinking={block.thinking} />;
    case 'redacted_thinking':
      return (
        <p className="text-sm italic text-slate-600 dark:text-slate-400">
          {ui.t('redactedThinking')}
        </p>
      );
    case 'tool_use':
      // Once the turn is complete the call shows as its own card; until then, say it is coming.
      return streaming ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          {ui.t('preparingCall', { tool: toolTitle(block.name, tools.get(block.name)) })}
        </p>
      ) : null;
  }
}

/** One Claude request: its blocks as they stream, then how it ended and what it cost. */
export const AssistantTurn = memo(function AssistantTurn({
  ui,
  item,
  tools,
  canRetry,
  onRetry,
}: {
  ui: Ui;
  item: AssistantItem;
  tools: ReadonlyMap<string, ToolInfo>;
  canRetry: boolean;
  onRetry: () => void;
}) {
  const { t } = ui;
  const streaming = item.status === 'streaming';
  const visible = item.blocks.some((block) => block.type !== 'text' || block.text.trim() !== '');
  // The answer's text as Claude wrote it (markdown), its blocks apart by a blank line.
  const markdown = item.blocks
    .flatMap((block) => (block.type === 'text' && block.text.trim() !== '' ? [block.text] : []))
    .join('\n\n');
  return (
    <article
      className="flex flex-col gap-2"
      data-turn={item.turn}
      data-status={item.status}
      aria-busy={streaming}
    >
      <h2 className="sr-only">{t('claude')}</h2>
      {item.blocks.map((block) => (
        <BlockView
          key={block.index}
          ui={ui}
          turn={item.turn}
          block={block}
          streaming={streaming}
          tools={tools}
        />
      ))}
      {streaming && !visible ? <TypingIndicator ui={ui} /> : null}
      {item.status === 'stopped' ? (
        <p className="text-sm text-slate-600 italic dark:text-slate-400">{t('turnStopped')}</p>
      ) : null}
      {item.stopReason === 'max_tokens' || item.stopReason === 'model_context_window_exceeded' ? (
        <p className="text-sm text-amber-800 dark:text-amber-200">{t('turnCutOff')}</p>
      ) : null}
      {item.status === 'failed' && item.error ? (
        <div
          role="alert"
          className="flex flex-wrap items-center gap-3 rounded-lg border border-red-300 bg-red-50 px-3 py-2 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
        >
          <p className="flex-1">{t('turnFailed', { message: item.error.message })}</p>
          {canRetry ? (
            <button
              type="button"
              onClick={onRetry}
              className="rounded-md bg-red-800 px-3 py-1.5 font-medium text-white hover:bg-red-900 dark:bg-red-200 dark:text-red-950"
            >
              {t('retry')}
            </button>
          ) : null}
        </div>
      ) : null}
      {item.model !== null ? (
        <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="turn-model">
          {t('answeredBy', { model: item.model })}
        </p>
      ) : null}
      {item.usage ? <UsageLine ui={ui} usage={item.usage} /> : null}
      {!streaming && markdown !== '' ? (
        <CopyButton ui={ui} label={t('copyMessage')} text={markdown} />
      ) : null}
    </article>
  );
});
