import type { ToolInfo } from '@tollgate/machines';
import { useId, useMemo, useState } from 'react';
import type { ApprovalRequest } from '../lib/approval-requests.ts';
import type { CommandRequest } from '../lib/tollgate-client.ts';
import { summarizeToolCall, toolTitle } from '../lib/tool-summary.ts';
import { FileText } from './file-text.tsx';
import type { Ui } from './ui.ts';

const BUTTON =
  'min-h-11 rounded-xl px-4 font-medium disabled:cursor-not-allowed disabled:opacity-60';

type Decision = { kind: 'approve'; scope: 'once' | 'always' | 'everywhere' } | { kind: 'deny' };

/** The arguments or the file content, editable before approving; the label is for screen readers. */
function DraftEditor({
  id,
  label,
  draft,
  onChange,
  rows,
  textClass,
}: {
  id: string;
  label: string;
  draft: string;
  onChange: (draft: string) => void;
  rows: number;
  textClass: 'text-sm' | 'text-xs';
}) {
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <textarea
        id={id}
        value={draft}
        onChange={(event) => onChange(event.target.value)}
        rows={rows}
        className={`w-full rounded-lg border border-slate-300 bg-white p-2 font-mono ${textClass} dark:border-slate-600 dark:bg-slate-950`}
      />
    </>
  );
}

/**
 * One call in the approval dialog: who asks (tool, MCP server), what it will do in plain words,
 * the arguments (for a file: its path and content, streaming in while Claude writes them), and
 * the person's choices. Content can be edited before approving; the tool then runs with the edit.
 */
export function ApprovalRequestView({
  ui,
  request,
  tool,
  sending,
  onDecide,
}: {
  ui: Ui;
  request: ApprovalRequest;
  tool: ToolInfo | undefined;
  sending: boolean;
  onDecide: (command: CommandRequest) => void;
}) {
  const { t, locale } = ui;
  const headingId = useId();
  const reasonId = useId();
  const editId = useId();
  const name = request.kind === 'call' ? request.call.name : request.name;
  const input = request.kind === 'call' ? request.call.input : request.input;
  const toolUseId = request.kind === 'call' ? request.call.toolUseId : request.toolUseId;
  const decision = request.kind === 'call' ? request.call.decision : null;
  const open = decision?.status === 'pending';
  const isFile = name === 'write_file';
  const content = typeof input.content === 'string' ? input.content : '';
  const path = typeof input.path === 'string' ? input.path : '';

  const [reason, setReason] = useState('');
  const [draft, setDraft] = useState<string | null>(null);
  const [draftError, setDraftError] = useState<string | null>(null);

  const startEditing = () => setDraft(isFile ? content : JSON.stringify(input, null, 2));

  /** The edited arguments, undefined when unchanged, null when the edit is not valid. */
  const editedInput = (): Record<string, unknown> | undefined | null => {
    if (draft === null) return undefined;
    if (isFile) return draft === content ? undefined : { ...input, content: draft };
    try {
      const parsed: unknown = JSON.parse(draft);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
      return parsed as Record<string, unknown>;
    } catch {
      return null;
    }
  };

  const decide = (choice: Decision) => {
    if (choice.kind === 'deny') {
      const trimmed = reason.trim();
      onDecide({ type: 'tool.deny', toolUseId, ...(trimmed ? { reason: trimmed } : {}) });
      return;
    }
    const edited = editedInput();
    if (edited === null) {
      setDraftError(t('invalidArguments'));
      return;
    }
    setDraftError(null);
    onDecide({
      type: 'tool.approve',
      toolUseId,
      scope: choice.scope,
      ...(edited ? { editedInput: edited } : {}),
    });
  };

  const complete = request.kind === 'call';
  // Sizing a file's content reads all of it: a megabyte at every render of the dialog (a click,
  // each second of a countdown, the decision's entry as the approved file starts to stream).
  const summary = useMemo(
    () => summarizeToolCall({ name, input, complete }, tool, t, locale),
    [name, input, complete, tool, t, locale],
  );
  const disabled = !open || sending;

  return (
    <section
      aria-labelledby={headingId}
      className="flex flex-col gap-3 rounded-xl border border-slate-200 p-3 sm:p-4 dark:border-slate-700"
      data-tool-use-id={toolUseId}
    >
      <header className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
        <h3 id={headingId} className="font-semibold">
          {toolTitle(name, tool)}
        </h3>
        <span className="text-sm text-slate-600 dark:text-slate-300">
          {t('fromServer', { server: tool?.server ?? t('unknownServer') })}
        </span>
        {tool?.readOnly ? (
          <span className="rounded-full bg-slate-200 px-2 py-0.5 text-xs dark:bg-slate-700">
            {t('readOnly')}
          </span>
        ) : null}
        {tool?.destructive ? (
          <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-100">
            {t('destructive')}
          </span>
        ) : null}
      </header>
      <p className="text-base font-medium" data-testid="approval-summary">
        {summary}
      </p>

      {isFile ? (
        <dl className="flex flex-col gap-1 text-sm">
          <dt className="text-slate-600 dark:text-slate-300">{t('path')}</dt>
          <dd>
            <code className="break-all">{path || '…'}</code>
          </dd>
          <dt className="mt-2 text-slate-600 dark:text-slate-300">{t('contentPreview')}</dt>
          <dd>
            {draft === null ? (
              <FileText text={content} label={t('contentPreview')} maxHeightClass="max-h-72" />
            ) : (
              <DraftEditor
                id={editId}
                label={t('editedContent')}
                draft={draft}
                onChange={setDraft}
                rows={12}
                textClass="text-sm"
              />
            )}
          </dd>
        </dl>
      ) : (
        <div className="flex flex-col gap-1 text-sm">
          <p className="text-slate-600 dark:text-slate-300">{t('arguments')}</p>
          {draft === null ? (
            <pre className="max-h-72 overflow-auto rounded-lg bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800">
              {JSON.stringify(input, null, 2)}
            </pre>
          ) : (
            <DraftEditor
              id={editId}
              label={t('editedArguments')}
              draft={draft}
              onChange={setDraft}
              rows={8}
              textClass="text-xs"
            />
          )}
        </div>
      )}
      {draftError ? (
        <p role="alert" className="text-sm text-red-800 dark:text-red-200">
          {draftError}
        </p>
      ) : null}

      {decision === null || decision.status === 'pending' ? (
        <>
          {open ? (
            <button
              type="button"
              onClick={() => {
                if (draft === null) startEditing();
                else {
                  setDraft(null);
                  setDraftError(null);
                }
              }}
              className="self-start text-sm text-blue-800 underline hover:text-blue-950 dark:text-blue-300"
            >
              {draft === null ? (isFile ? t('editContent') : t('editArguments')) : t('stopEditing')}
            </button>
          ) : null}
          <div className="flex flex-col gap-1">
            <label htmlFor={reasonId} className="text-sm text-slate-700 dark:text-slate-300">
              {t('denyReason')}
            </label>
            <input
              id={reasonId}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              disabled={disabled}
              className="rounded-lg border border-slate-300 bg-white px-3 py-2 disabled:opacity-60 dark:border-slate-600 dark:bg-slate-950"
            />
          </div>
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              disabled={disabled}
              onClick={() => decide({ kind: 'approve', scope: 'once' })}
              className={`${BUTTON} bg-green-700 text-white hover:bg-green-800`}
            >
              {t('approve')}
            </button>
            <button
              type="button"
              disabled={disabled}
              onClick={() => decide({ kind: 'approve', scope: 'always' })}
              className={`${BUTTON} border border-green-700 text-green-900 hover:bg-green-50 dark:border-green-400 dark:text-green-200 dark:hover:bg-green-950`}
            >
              {t('alwaysAllow')}
            </button>
            <button
              type="button"
              disabled={disabled}
              onClick={() => decide({ kind: 'approve', scope: 'everywhere' })}
              title={t('alwaysAllowEverywhereHint')}
              className={`${BUTTON} border border-green-700 text-green-900 hover:bg-green-50 dark:border-green-400 dark:text-green-200 dark:hover:bg-green-950`}
            >
              {t('alwaysAllowEverywhere')}
            </button>
            <button
              type="button"
              disabled={disabled}
              onClick={() => decide({ kind: 'deny' })}
              className={`${BUTTON} bg-red-700 text-white hover:bg-red-800`}
            >
              {t('deny')}
            </button>
          </div>
          {sending ? (
            <p className="text-sm text-slate-600 dark:text-slate-300" role="status">
              {t('deciding')}
            </p>
          ) : null}
        </>
      ) : (
        <p className="text-sm font-medium">
          {decision.status === 'denied'
            ? decision.reason
              ? t('decisionDeniedReason', { reason: decision.reason })
              : t('decisionDenied')
            : decision.status === 'approved'
              ? t('decisionApproved')
              : t('decisionCancelled')}
        </p>
      )}
    </section>
  );
}
