import { type ConversationContext, currentToolRun, type ToolInfo } from '@tollgate/machines';
import { toolTitle } from '../lib/tool-summary.ts';
import type { Ui } from './ui.ts';

/**
 * What Claude is doing, in one line, also announced to screen readers. It changes with the
 * machine's state, not with every delta, so a reader hears "Claude is writing…" once.
 */
export function LiveStatus({
  ui,
  state,
  active,
  context,
  tools,
}: {
  ui: Ui;
  state: string;
  /** Claude or a tool is at work, or a decision is awaited: the indicator shows. */
  active: boolean;
  context: ConversationContext;
  tools: ReadonlyMap<string, ToolInfo>;
}) {
  const { t } = ui;
  const running = currentToolRun(context);
  const moving = state === 'streaming' || state === 'executingTool';
  const text = (() => {
    switch (state) {
      case 'streaming':
        return t('statusStreaming');
      case 'awaitingApproval':
        return t('statusAwaiting');
      case 'executingTool':
        return t('statusRunning', {
          tool: running ? toolTitle(running.name, tools.get(running.name)) : '…',
        });
      case 'resuming':
        return t('statusResuming');
      case 'failed':
        return t('statusFailed');
      default:
        return context.items.length > 0 ? t('statusIdle') : '';
    }
  })();
  return (
    <div className="px-3 sm:px-4">
      <p
        role="status"
        aria-live="polite"
        className="mx-auto flex min-h-6 max-w-3xl items-center gap-2 text-sm text-slate-600 dark:text-slate-300"
      >
        {active ? (
          <span
            aria-hidden="true"
            // It pulses only while nothing else on the page moves (waiting for Claude, for a
            // decision): a pulse is a compositor animation that draws a frame at every vsync,
            // and then each streamed delta or chunk is painted only at the next one.
            className={`inline-block size-2 rounded-full bg-blue-600 dark:bg-blue-400 ${moving ? '' : 'animate-pulse motion-reduce:animate-none'}`}
          />
        ) : null}
        {text}
      </p>
    </div>
  );
}
