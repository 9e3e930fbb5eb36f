import {
  type ClaudeOptions,
  type ConversationSettings,
  effectiveSettings,
} from '@tollgate/machines';
import { useState } from 'react';
import { SettingsDialog } from './settings-dialog.tsx';
import type { Ui } from './ui.ts';

/**
 * The conversation's header: which model the next turn asks, whether it thinks first and for how
 * many tokens, and whose instructions it gets, with the way to change them. It shows what the
 * server will send (`effectiveSettings`, the function the server uses), not what was last typed.
 */
export function ConversationSettingsBar({
  ui,
  options,
  chosen,
  canSave,
  onSave,
}: {
  ui: Ui;
  /** Null from a server that offers no settings (an older one, or Claude not configured). */
  options: ClaudeOptions | null;
  chosen: ConversationSettings | undefined;
  canSave: boolean;
  onSave: (settings: ConversationSettings) => void;
}) {
  const { t } = ui;
  const [open, setOpen] = useState(false);
  if (options === null) return null;
  const now = effectiveSettings(chosen, options);
  const prompt =
    now.systemPrompt.trim() === ''
      ? t('settingsPromptNone')
      : now.systemPrompt === options.defaults.systemPrompt
        ? t('settingsPromptDefault')
        : t('settingsPromptOwn');
  return (
    <section
      aria-label={t('settingsSummary')}
      className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-200 px-3 py-1.5 text-xs text-slate-700 sm:px-4 dark:border-slate-800 dark:text-slate-300"
    >
      <span data-testid="settings-model" className="font-mono">
        <span className="sr-only">{t('settingsModel')}: </span>
        {now.model}
      </span>
      <span data-testid="settings-thinking">
        {now.thinkingBudget === null
          ? t('settingsThinkingOff')
          : t('settingsThinkingOn', { budget: now.thinkingBudget })}
      </span>
      <span data-testid="settings-prompt">{prompt}</span>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="ml-auto rounded-md border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
      >
        {t('settingsOpen')}
      </button>
      {open ? (
        <SettingsDialog
          ui={ui}
          options={options}
          chosen={chosen}
          canSave={canSave}
          onSave={onSave}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </section>
  );
}
