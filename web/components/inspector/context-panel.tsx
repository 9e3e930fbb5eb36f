import {
  type ConversationContext,
  effectiveToolInput,
  type InspectedPoint,
  oneLine,
  type TimelineItem,
  type ToolCallItem,
  type ToolDecision,
  type ToolInfo,
  type ToolRun,
} from '@tollgate/machines';
import { memo, useState } from 'react';
import { summarizeToolCall } from '../../lib/tool-summary.ts';
import type { Ui } from '../ui.ts';
import { UsageLine } from '../usage-line.tsx';
import { Panel } from './panel.tsx';

// The context at the point as the machine holds it: its fields and values, named as in the code
// (conversation-context.ts), so a developer reads the data itself and a person still finds the
// answer to "what is it waiting for?" in plain words at the top.

function decisionFields(decision: ToolDecision): string {
  switch (decision.status) {
    case 'pending':
    case 'cancelled':
    case 'expired':
      return decision.status;
    case 'approved':
      return `approved · scope: ${decision.scope} · by: ${decision.by}${decision.editedInput ? ' · input edited' : ''}`;
    case 'denied':
      return decision.reason === null ? 'denied' : `denied · reason: ${decision.reason}`;
  }
}

function runFields(run: ToolRun | null): string {
  if (run === null) return '—';
  const parts: string[] = [run.status, `chunks: ${run.chunks}`];
  if (run.total !== null) parts.push(`${run.progress} of ${run.total}`);
  if (run.result?.isError) parts.push('result: error');
  if (run.error) parts.push(`error: ${oneLine(run.error, 60)}`);
  return parts.join(' · ');
}

function itemLine(item: TimelineItem): string {
  switch (item.kind) {
    case 'user':
      return `user: ${JSON.stringify(oneLine(item.text))}`;
    case 'assistant': {
      const text = item.blocks
        .map((block) => (block.type === 'text' ? block.text : ''))
        .join('')
        .trim();
      const calls = item.blocks.filter((block) => block.type === 'tool_use').length;
      const stop = item.stopReason ? `, ${item.stopReason}` : '';
      return `assistant turn ${item.turn} (${item.status}${stop})${text ? `: ${JSON.stringify(oneLine(text))}` : ''}${calls ? ` + ${calls} tool_use` : ''}`;
    }
    case 'tool':
      return `tool ${item.name} ${item.toolUseId}: ${item.decision.status}${item.run ? `, run ${item.run.status}` : ''}`;
    case 'notice':
      return `notice ${item.code}: ${item.toolName}`;
  }
}

const isToolCall = (item: TimelineItem): item is ToolCallItem => item.kind === 'tool';

export const ContextPanel = memo(function ContextPanel({
  ui,
  point,
  tools,
}: {
  ui: Ui;
  point: InspectedPoint;
  tools: readonly ToolInfo[];
}) {
  const { t, locale } = ui;
  const { context } = point;
  const calls = context.items.filter(isToolCall);
  const pending = calls.filter((call) => call.decision.status === 'pending');
  const describe = (call: ToolCallItem) =>
    summarizeToolCall(
      { name: call.name, input: effectiveToolInput(call), complete: true },
      tools.find((tool) => tool.name === call.name),
      t,
      locale,
    );

  return (
    <Panel title={t('context')}>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-600 dark:text-slate-400">{t('turn')}</dt>
        <dd className="font-mono">{context.turn}</dd>
        <dt className="text-slate-600 dark:text-slate-400">{t('tags')}</dt>
        <dd className="font-mono">{point.tags.join(', ') || '—'}</dd>
        <dt className="text-slate-600 dark:text-slate-400">{t('alwaysAllowed')}</dt>
        <dd className="font-mono">{context.alwaysAllowed.join(', ') || t('nothing')}</dd>
      </dl>
      {pending.length > 0 ? (
        <div className="rounded-lg border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          <h3 className="font-semibold">{t('waitingForDecision')}</h3>
          <ul className="list-disc pl-5">
            {pending.map((call) => (
              <li key={call.toolUseId}>
                {describe(call)} <code className="text-xs">{call.toolUseId}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <h3 className="mt-1 text-sm font-semibold">{t('toolCalls')}</h3>
      {calls.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">{t('noToolCalls')}</p>
      ) : (
        <ul className="flex flex-col gap-2 text-sm">
          {calls.map((call) => (
            <li
              key={call.toolUseId}
              className="rounded-lg border border-slate-200 p-2 dark:border-slate-800"
              data-tool-use-id={call.toolUseId}
            >
              <p>
                <code className="font-semibold">{call.name}</code>{' '}
                <code className="text-xs text-slate-600 dark:text-slate-400">{call.toolUseId}</code>
              </p>
              <p>{describe(call)}</p>
              <p className="font-mono text-xs">decision: {decisionFields(call.decision)}</p>
              <p className="font-mono text-xs">run: {runFields(call.run)}</p>
            </li>
          ))}
        </ul>
      )}
      <Usage ui={ui} context={context} />
      <h3 className="mt-1 text-sm font-semibold">{t('timelineHeading')}</h3>
      <ol className="flex flex-col gap-0.5 font-mono text-xs" start={0}>
        {context.items.map((item, index) => (
          // The timeline only grows: an item keeps its index.
          // biome-ignore lint/suspicious/noArrayIndexKey: items have no id of their own in common.
          <li key={index} className="break-all">
            <span className="text-slate-500">{index}</span> {itemLine(item)}
          </li>
        ))}
      </ol>
      <WholeContext ui={ui} context={context} />
    </Panel>
  );
});

function Usage({ ui, context }: { ui: Ui; context: ConversationContext }) {
  const turns = context.items.flatMap((item) =>
    item.kind === 'assistant' && item.usage !== null
      ? [{ turn: item.turn, usage: item.usage }]
      : [],
  );
  if (turns.length === 0) return null;
  return (
    <>
      <h3 className="mt-1 text-sm font-semibold">{ui.t('usageHeading')}</h3>
      <ul className="flex flex-col gap-0.5">
        {turns.map(({ turn, usage }) => (
          <li key={turn} className="flex items-baseline gap-2">
            <span className="font-mono text-xs">
              {ui.t('turn')} {turn}
            </span>
            <UsageLine ui={ui} usage={usage} />
          </li>
        ))}
      </ul>
    </>
  );
}

/** The whole context as JSON, made only when opened: with a file in it, it can be large. */
function WholeContext({ ui, context }: { ui: Ui; context: ConversationContext }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className="cursor-pointer text-sm">{ui.t('wholeContext')}</summary>
      {open ? (
        <pre className="mt-1 max-h-96 overflow-auto whitespace-pre-wrap break-all rounded-lg border border-slate-200 bg-slate-50 p-2 font-mono text-xs dark:border-slate-800 dark:bg-slate-900">
          {JSON.stringify(context, null, 2)}
        </pre>
      ) : null}
    </details>
  );
}
