import type { ClaudeMessageParam } from './claude-message.ts';
import type { CommandRejection } from './decision-rejection.ts';
import { type ConversationSettings, MIN_THINKING_BUDGET } from './events/settings-events.ts';

// A conversation's Claude settings against what the server offers: which settings a request is
// made with, and which a person may choose. The server and the page use the same functions, so
// the header shows what the next request will carry and the dialog refuses what the server would.

/** What a server offers every conversation (the hello's `claudeOptions`). */
export interface ClaudeOptions {
  /** The models a conversation may choose (CLAUDE_MODELS), the default among them. */
  models: string[];
  /** The answer's limit (CLAUDE_MAX_TOKENS); a thinking budget must stay below it. */
  maxTokens: number;
  /** What a conversation gets until a person chooses (CLAUDE_MODEL, CLAUDE_THINKING_BUDGET, SYSTEM_PROMPT). */
  defaults: { model: string; thinkingBudget: number | null; systemPrompt: string };
}

/** The settings a Claude request is made with: every choice made, defaults filled in. */
export interface EffectiveSettings {
  model: string;
  thinkingBudget: number | null;
  /** Blank: the request carries no system prompt. */
  systemPrompt: string;
}

/**
 * The settings the next request of a conversation uses: the person's choice, else the server's
 * defaults. A choice the server stopped offering since (a model taken out of CLAUDE_MODELS, a
 * budget above a lowered CLAUDE_MAX_TOKENS) falls back to what it offers now.
 */
export function effectiveSettings(
  chosen: ConversationSettings | null | undefined,
  options: ClaudeOptions,
): EffectiveSettings {
  if (!chosen) return { ...options.defaults };
  const budget = chosen.thinkingBudget;
  const highest = options.maxTokens - 1;
  return {
    model: options.models.includes(chosen.model) ? chosen.model : options.defaults.model,
    thinkingBudget:
      budget === null || budget <= highest
        ? budget
        : highest >= MIN_THINKING_BUDGET
          ? highest
          : null,
    systemPrompt: chosen.systemPrompt ?? options.defaults.systemPrompt,
  };
}

/**
 * Why the server refuses these settings, or null when it takes them: the event's schema already
 * holds the API's own floor (a budget of at least 1024 tokens); this checks what depends on the
 * server's configuration.
 */
export function settingsRejection(
  settings: ConversationSettings,
  options: ClaudeOptions,
): CommandRejection | null {
  if (!options.models.includes(settings.model)) {
    return {
      code: 'settings_not_offered',
      message: `This server does not offer the model ${settings.model}; choose one of: ${options.models.join(', ')}.`,
    };
  }
  if (settings.thinkingBudget !== null && settings.thinkingBudget >= options.maxTokens) {
    return {
      code: 'settings_not_offered',
      message: `A thinking budget must be below the answer's limit of ${options.maxTokens} tokens (CLAUDE_MAX_TOKENS); ${settings.thinkingBudget} is not.`,
    };
  }
  return null;
}

/**
 * Whether a request with these messages may have extended thinking on. A tool-use loop is one
 * assistant turn, and the API takes one thinking configuration per turn: with thinking on, the
 * assistant message whose calls the last user message answers must start with a thinking block
 * (else a 400). A loop begun without thinking therefore goes on without it; the new setting
 * applies from the next turn.
 */
export function thinkingFits(messages: readonly ClaudeMessageParam[]): boolean {
  const last = messages.at(-1);
  const answered = messages.at(-2);
  if (last?.role !== 'user' || answered?.role !== 'assistant') return true;
  if (!last.content.some((block) => block.type === 'tool_result')) return true;
  const first = answered.content[0]?.type;
  return first === 'thinking' || first === 'redacted_thinking';
}
