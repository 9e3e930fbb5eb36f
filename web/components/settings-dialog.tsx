import {
  type ClaudeOptions,
  type ConversationSettings,
  MAX_SYSTEM_PROMPT_CHARS,
  MIN_THINKING_BUDGET,
} from '@tollgate/machines';
import { useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useFocusTrap } from '../hooks/use-focus-trap.ts';
import { useInertPage } from '../hooks/use-inert-page.ts';
import { formFor, highestBudget, readForm, type SettingsForm } from '../lib/settings-form.ts';
import type { Ui } from './ui.ts';

const FIELD =
  'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm disabled:opacity-50 dark:border-slate-600 dark:bg-slate-950';

/**
 * The modal where a person chooses the conversation's model, extended thinking and system
 * prompt. Save sends the command and closes; the header shows the change once the log has it (a
 * refusal shows as a notice). It can be saved only between turns, as the server takes it.
 */
export function SettingsDialog({
  ui,
  options,
  chosen,
  canSave,
  onSave,
  onClose,
}: {
  ui: Ui;
  options: ClaudeOptions;
  chosen: ConversationSettings | undefined;
  /** The conversation is between turns (and the page connected): a change can be taken now. */
  canSave: boolean;
  onSave: (settings: ConversationSettings) => void;
  onClose: () => void;
}) {
  const { t } = ui;
  const dialog = useRef<HTMLFormElement>(null);
  const titleId = useId();
  const introId = useId();
  const budgetHintId = useId();
  const promptHintId = useId();
  const [form, setForm] = useState<SettingsForm>(() => formFor(chosen, options));
  const highest = highestBudget(options);
  const reading = readForm(form, options);
  const change = (patch: Partial<SettingsForm>) =>
    setForm((previous) => ({ ...previous, ...patch }));

  useInertPage();
  useFocusTrap(dialog, true);

  return createPortal(
    <div className="fixed inset-0 z-50 flex items-end justify-center bg-slate-950/60 sm:items-center sm:p-4">
      <form
        ref={dialog}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={introId}
        tabIndex={-1}
        onSubmit={(event) => {
          event.preventDefault();
          if (!canSave || !reading.ok) return;
          onSave(reading.settings);
          onClose();
        }}
        className="flex max-h-[94dvh] w-full flex-col gap-4 overflow-y-auto rounded-t-2xl bg-white p-4 shadow-2xl outline-none sm:max-w-xl sm:rounded-2xl sm:p-6 dark:bg-slate-900"
      >
        <header>
          <h2 id={titleId} className="text-lg font-semibold">
            {t('settingsHeading')}
          </h2>
          <p id={introId} className="text-sm text-slate-600 dark:text-slate-300">
            {t('settingsIntro')}
          </p>
        </header>

        <label className="flex flex-col gap-1 text-sm font-medium">
          {t('settingsModel')}
          <select
            className={FIELD}
            value={form.model}
            onChange={(event) => change({ model: event.target.value })}
          >
            {options.models.map((model) => (
              <option key={model} value={model}>
                {model}
              </option>
            ))}
          </select>
        </label>

        <fieldset className="flex flex-col gap-2">
          <label className="flex items-center gap-2 text-sm font-medium">
            <input
              type="checkbox"
              checked={form.thinking}
              disabled={highest === null}
              onChange={(event) => change({ thinking: event.target.checked })}
            />
            {t('settingsThinking')}
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium">
            {t('settingsBudget')}
            <input
              type="number"
              inputMode="numeric"
              className={FIELD}
              min={MIN_THINKING_BUDGET}
              max={highest ?? undefined}
              step={1}
              value={form.budget}
              disabled={!form.thinking}
              aria-describedby={budgetHintId}
              aria-invalid={!reading.ok && reading.problem === 'budget'}
              onChange={(event) => change({ budget: event.target.value })}
            />
          </label>
          <p id={budgetHintId} className="text-xs text-slate-600 dark:text-slate-400">
            {t('settingsBudgetRange', { min: MIN_THINKING_BUDGET, max: highest ?? 0 })}
          </p>
        </fieldset>

        <div className="flex flex-col gap-1">
          <label className="flex flex-col gap-1 text-sm font-medium">
            {t('settingsSystemPrompt')}
            <textarea
              className={`${FIELD} min-h-32 font-mono`}
              rows={8}
              maxLength={MAX_SYSTEM_PROMPT_CHARS}
              value={form.systemPrompt}
              aria-describedby={promptHintId}
              onChange={(event) => change({ systemPrompt: event.target.value })}
            />
          </label>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p id={promptHintId} className="text-xs text-slate-600 dark:text-slate-400">
              {t('settingsSystemPromptHint')}
            </p>
            <button
              type="button"
              className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-50 dark:border-slate-600 dark:hover:bg-slate-800"
              disabled={form.systemPrompt === options.defaults.systemPrompt}
              onClick={() => change({ systemPrompt: options.defaults.systemPrompt })}
            >
              {t('settingsUseDefaultPrompt')}
            </button>
          </div>
        </div>

        {!reading.ok ? (
          <p role="alert" className="text-sm text-red-800 dark:text-red-200">
            {reading.problem === 'budget'
              ? t('settingsBudgetInvalid', { min: MIN_THINKING_BUDGET, max: highest ?? 0 })
              : reading.message}
          </p>
        ) : null}
        {canSave ? null : (
          <p className="text-sm text-amber-800 dark:text-amber-200">{t('settingsBetweenTurns')}</p>
        )}

        <div className="flex justify-end gap-2">
          <button
            type="button"
            onClick={onClose}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
          >
            {t('settingsCancel')}
          </button>
          <button
            type="submit"
            disabled={!canSave || !reading.ok}
            className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-50 dark:bg-slate-100 dark:text-slate-900"
          >
            {t('settingsSave')}
          </button>
        </div>
      </form>
    </div>,
    document.body,
  );
}
