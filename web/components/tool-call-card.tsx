import {
  effectiveToolInput,
  type PolicyRule,
  type ToolCallItem,
  type ToolDecision,
  type ToolInfo,
  type ToolRun,
} from '@tollgate/machines';
import { memo, useMemo } from 'react';
import type { Translate } from '../lib/i18n/translator.ts';
import { summarizeToolCall, toolTitle } from '../lib/tool-summary.ts';
import { FilePanel } from './file-panel.tsx';
import type { Ui } from './ui.ts';

/** Which rule of POLICY_FILE decided a call, as the timeline names it. */
function ruleParams(rule: PolicyRule) {
  return { index: String(rule.index), tool: rule.tool, server: rule.server };
}

function decisionText(decision: ToolDecision, t: Translate): string {
  switch (decision.status) {
    case 'pending':
      return t('decisionPending');
    case 'approved':
      if (decision.rule) return t('decisionRuleAllowed', ruleParams(decision.rule));
      if (decision.grant) return t('decisionGrantAllowed');
      if (decision.scope === 'everywhere') return t('decisionEverywhere');
      if (decision.by === 'policy') return t('decisionPolicy');
      if (decision.editedInput !== null) return t('decisionApprovedEdited');
      return decision.scope === 'always' ? t('decisionAlways') : t('decisionApproved');
    case 'denied':
      if (decision.rule) {
        return decision.rule.reason
          ? t('decisionRuleDeniedReason', {
              ...ruleParams(decision.rule),
              reason: decision.rule.reason,
            })
          : t('decisionRuleDenied', ruleParams(decision.rule));
      }
      return decision.reason
        ? t('decisionDeniedReason', { reason: decision.reason })
        : t('decisionDenied');
    case 'cancelled':
      return t('decisionCancelled');
    case 'expired':
      return t('decisionExpired');
  }
}

const DECISION_STYLE: Record<ToolDecision['status'], string> = {
  pending: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-100',
  approved: 'bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-100',
  denied: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-100',
  cancelled: 'bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-100',
  expired: 'bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-100',
};

/** A tool call in the timeline: what was asked, what the person decided, and the run. */
export const ToolCallCard = memo(function ToolCallCard({
  ui,
  call,
  tool,
}: {
  ui: Ui;
  call: ToolCallItem;
  tool: ToolInfo | undefined;
}) {
  const { t, locale } = ui;
  const input = effectiveToolInput(call);
  // The card re-renders with every chunk; the summary (which sizes the content) only with its input.
  const summary = useMemo(
    () => summarizeToolCall({ name: call.name, input, complete: true }, tool, t, locale),
    [call.name, input, tool, t, locale],
  );
  const server = call.run?.server ?? tool?.server ?? null;
  const path = typeof input.path === 'string' ? input.path : null;
  const run = call.run;
  const isFileWrite = call.name === 'write_file' && path !== null;

  return (
    <article
      className="flex flex-col gap-3 rounded-xl border border-slate-200 p-3 sm:p-4 dark:border-slate-700"
      data-tool-use-id={call.toolUseId}
    >
      <header className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
        <h2 className="font-semibold">{toolTitle(call.name, tool)}</h2>
        {server ? (
          <span className="text-sm text-slate-600 dark:text-slate-400">
            {t('fromServer', { server })}
          </span>
        ) : null}
        <span
          className={`ml-auto rounded-full px-2 py-0.5 text-xs font-medium ${DECISION_STYLE[call.decision.status]}`}
        >
          {decisionText(call.decision, t)}
        </span>
      </header>
      <p>{summary}</p>
      {run && isFileWrite ? (
        <FilePanel ui={ui} toolUseId={call.toolUseId} path={path} run={run} />
      ) : null}
      {run && !isFileWrite ? <ToolRunView ui={ui} call={call} /> : null}
    </article>
  );
});

/** Any other tool's run: its progress and its result. */
function ToolRunView({ ui, call }: { ui: Ui; call: ToolCallItem }) {
  const { t } = ui;
  const run = call.run;
  if (run === null) return null;
  return (
    <div className="flex flex-col gap-2 text-sm">
      {run.status === 'queued' ? <p>{t('runQueued')}</p> : null}
      {run.status === 'running' ? <RunProgress ui={ui} run={run} /> : null}
      {run.status === 'failed' ? (
        <p role="alert" className="text-red-800 dark:text-red-200">
          {t('toolFailed', { message: run.error ?? '' })}
        </p>
      ) : null}
      {run.status === 'cancelled' ? <p>{t('runCancelled')}</p> : null}
      {run.result ? (
        <details open={run.result.isError}>
          <summary className={run.result.isError ? 'text-red-800 dark:text-red-200' : ''}>
            {run.result.isError ? t('toolErrorTitle') : t('toolResult')}
          </summary>
          <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap rounded-lg bg-slate-100 p-2 font-mono text-xs dark:bg-slate-900">
            {run.result.content}
          </pre>
        </details>
      ) : null}
    </div>
  );
}

/**
 * A running tool's progress (MCP's notifications/progress): a bar when the tool says how far it
 * has to go (`total`), and its latest message as a live status line either way.
 */
function RunProgress({ ui, run }: { ui: Ui; run: ToolRun }) {
  const { t } = ui;
  const total = run.total !== null && run.total > 0 ? run.total : null;
  const done = total === null ? 0 : Math.min(run.progress, total);
  const line = (
    <p role="status" className="min-w-0 flex-1 break-words">
      {run.message ?? t('runRunning')}
    </p>
  );
  if (total === null) return line;
  const of = t('progressOf', { done, total });
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-center gap-3">
        <div
          role="progressbar"
          aria-label={t('toolProgress')}
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={done}
          aria-valuetext={of}
          className="h-2 flex-1 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
        >
          <div
            className="h-full w-full origin-left rounded-full bg-blue-600"
            style={{ transform: `scaleX(${done / total})` }}
          />
        </div>
        <p className="shrink-0 tabular-nums text-slate-600 dark:text-slate-300">{of}</p>
      </div>
      {line}
    </div>
  );
}
