import { z } from 'zod';
import { imageAttachmentSchema, MAX_IMAGES_PER_MESSAGE } from '../images/image-limits.ts';
import { settingsChangedEventSchema } from './settings-events.ts';

// Commands come from a person, through the gateway. The gateway stamps `commandId` (the client's
// idempotency key) and, where the machine needs a time, `at`: the machine never makes either.

const commandId = z.string().min(1).max(128);
const toolUseId = z.string().min(1).max(128);
/** Tool names as Claude sees them (the API's pattern). */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const toolNameSchema = z.string().regex(TOOL_NAME_PATTERN);
export const toolInputSchema = z.record(z.string(), z.unknown());

export const userMessageEventSchema = z.object({
  type: z.literal('user.message'),
  commandId,
  text: z
    .string()
    .max(200_000)
    .refine((text) => text.trim().length > 0, 'A message needs some text.'),
  /** Images the person attached, by reference (stored by the server); absent when none. */
  images: z
    .array(imageAttachmentSchema)
    .min(1)
    .max(MAX_IMAGES_PER_MESSAGE)
    .refine(
      (images) => new Set(images.map((image) => image.sha256)).size === images.length,
      'An image is attached once per message.',
    )
    .optional(),
  at: z.number().int().nonnegative(),
});

export const toolApproveEventSchema = z.object({
  type: z.literal('tool.approve'),
  commandId,
  toolUseId,
  /**
   * `always`: later calls of this tool in this conversation run without asking; `everywhere`: in
   * every conversation of the person, from a grant the server keeps (docs/policies.md).
   */
  scope: z.enum(['once', 'always', 'everywhere']),
  /** The person's edit of the arguments; the tool runs with these instead of Claude's. */
  editedInput: toolInputSchema.optional(),
  /**
   * Stamped by the server on an `always` or `everywhere` decision (never sent by the page): the
   * tool and the MCP server its grant names (no server when none offered the tool). The store
   * writes the grant in the append's transaction, so the decision and its grant are kept together
   * or not at all (docs/policies.md). Absent in logs written before.
   */
  grant: z
    .object({ toolName: toolNameSchema, server: z.string().min(1).max(200).optional() })
    .optional(),
});

export const toolDenyEventSchema = z.object({
  type: z.literal('tool.deny'),
  commandId,
  toolUseId,
  reason: z.string().max(2_000).optional(),
});

export const policyRevokeEventSchema = z.object({
  type: z.literal('policy.revoke'),
  commandId,
  toolName: toolNameSchema,
});

export const turnStopEventSchema = z.object({
  type: z.literal('turn.stop'),
  commandId,
});

export const turnRetryEventSchema = z.object({
  type: z.literal('turn.retry'),
  commandId,
});

/** The longest title a person may give a conversation, in UTF-16 units. */
export const MAX_CONVERSATION_TITLE = 200;

/**
 * The person names the conversation. Taken in any state (it changes nothing Claude sees); the
 * conversation list shows it from then on, in place of the first message.
 */
export const conversationRenamedEventSchema = z.object({
  type: z.literal('conversation.renamed'),
  commandId,
  title: z
    .string()
    .max(MAX_CONVERSATION_TITLE)
    .refine((title) => title.trim().length > 0, 'A title needs some text.')
    .refine((title) => title === title.trim(), 'A title has no leading or trailing spaces.')
    .refine((title) => !/[\r\n]/.test(title), 'A title is one line.'),
});

export const commandEventSchema = z.discriminatedUnion('type', [
  userMessageEventSchema,
  toolApproveEventSchema,
  toolDenyEventSchema,
  policyRevokeEventSchema,
  turnStopEventSchema,
  turnRetryEventSchema,
  conversationRenamedEventSchema,
  settingsChangedEventSchema,
]);

export type UserMessageEvent = z.infer<typeof userMessageEventSchema>;
export type ToolApproveEvent = z.infer<typeof toolApproveEventSchema>;
export type ToolDenyEvent = z.infer<typeof toolDenyEventSchema>;
export type PolicyRevokeEvent = z.infer<typeof policyRevokeEventSchema>;
export type TurnStopEvent = z.infer<typeof turnStopEventSchema>;
export type TurnRetryEvent = z.infer<typeof turnRetryEventSchema>;
export type ConversationRenamedEvent = z.infer<typeof conversationRenamedEventSchema>;
export type CommandEvent = z.infer<typeof commandEventSchema>;
export type ToolInput = z.infer<typeof toolInputSchema>;
