import {
  type ClaudeOptions,
  type ConversationSettings,
  effectiveSettings,
  MIN_THINKING_BUDGET,
  settingsRejection,
} from '@tollgate/machines';

// The settings dialog's form, free of React: filled from what the conversation uses now, read
// back into the settings a `conversation.settings_changed` command carries, or the reason the
// server would refuse them (the same rules it applies: conversation-settings.ts in machines).

export interface SettingsForm {
  model: string;
  thinking: boolean;
  /** As typed: read only when thinking is on. */
  budget: string;
  systemPrompt: string;
}

/** The highest budget the server takes: below its max_tokens. Below the API's floor: none. */
export function highestBudget(options: ClaudeOptions): number | null {
  const highest = options.maxTokens - 1;
  return highest >= MIN_THINKING_BUDGET ? highest : null;
}

/** The form as the conversation is now: its choice, else the server's defaults. */
export function formFor(
  chosen: ConversationSettings | null | undefined,
  options: ClaudeOptions,
): SettingsForm {
  const now = effectiveSettings(chosen, options);
  // A budget to offer when thinking is switched on: the default's, else 4096 if it fits.
  const offered =
    now.thinkingBudget ??
    options.defaults.thinkingBudget ??
    Math.max(MIN_THINKING_BUDGET, Math.min(4096, options.maxTokens - 1));
  return {
    model: now.model,
    thinking: now.thinkingBudget !== null,
    budget: String(offered),
    systemPrompt: now.systemPrompt,
  };
}

export type FormReading =
  | { ok: true; settings: ConversationSettings }
  | { ok: false; problem: 'budget' | 'not_offered'; message: string };

/**
 * The settings the form says, or why not. A system prompt equal to the server's default is sent
 * as null, so the conversation keeps following the default.
 */
export function readForm(form: SettingsForm, options: ClaudeOptions): FormReading {
  let thinkingBudget: number | null = null;
  if (form.thinking) {
    const highest = highestBudget(options);
    const value = Number(form.budget.trim());
    if (
      highest === null ||
      form.budget.trim() === '' ||
      !Number.isInteger(value) ||
      value < MIN_THINKING_BUDGET ||
      value > highest
    ) {
      return { ok: false, problem: 'budget', message: '' };
    }
    thinkingBudget = value;
  }
  const settings: ConversationSettings = {
    model: form.model,
    thinkingBudget,
    systemPrompt: form.systemPrompt === options.defaults.systemPrompt ? null : form.systemPrompt,
  };
  const refused = settingsRejection(settings, options);
  if (refused) return { ok: false, problem: 'not_offered', message: refused.message };
  return { ok: true, settings };
}
