import { z } from 'zod';

// A conversation's own Claude settings: which model answers, whether it thinks first and for how
// many tokens, and the instructions it gets. A person changes them between turns with a command
// of their own; the change applies from the next Claude request.

/** The API's floor for `thinking.budget_tokens`; the ceiling is the server's max_tokens. */
export const MIN_THINKING_BUDGET = 1024;
/** The longest system prompt a conversation may carry, in characters. */
export const MAX_SYSTEM_PROMPT_CHARS = 50_000;

export const conversationSettingsSchema = z.object({
  /** A model id the server offers (its CLAUDE_MODELS); the server refuses any other. */
  model: z.string().min(1).max(200),
  /** Extended thinking's budget in tokens, or null for no extended thinking. */
  thinkingBudget: z.number().int().min(MIN_THINKING_BUDGET).max(1_000_000).nullable(),
  /**
   * The system prompt; null for the server's default (SYSTEM_PROMPT, or Tollgate's own), and a
   * blank one for none at all.
   */
  systemPrompt: z.string().max(MAX_SYSTEM_PROMPT_CHARS).nullable(),
});

export const settingsChangedEventSchema = z.object({
  type: z.literal('conversation.settings_changed'),
  commandId: z.string().min(1).max(128),
  ...conversationSettingsSchema.shape,
});

export type ConversationSettings = z.infer<typeof conversationSettingsSchema>;
export type SettingsChangedEvent = z.infer<typeof settingsChangedEventSchema>;
