import { z } from 'zod';
import type { ConversationContext } from './conversation-context.ts';
import { toolInputSchema } from './events/command-events.ts';
import {
  assistantFailureKindSchema,
  fileWrittenSchema,
  stopReasonSchema,
  usageSchema,
} from './events/fact-events.ts';
import { policyGrantSchema, policyRuleSchema } from './events/policy-events.ts';
import { conversationSettingsSchema } from './events/settings-events.ts';
import { imageAttachmentSchema } from './images/image-limits.ts';

// The context as a schema, for a context that arrives from outside the fold: a checkpoint the
// server sends a tab (checkpoint-message.ts). The compiler holds its type to the context's own,
// field for field (`Same`, below); conversation-context-schema.test.ts checks that every context
// the machine folds to reads back as itself.

const count = z.number().int().nonnegative();

const userItemSchema = z.object({
  kind: z.literal('user'),
  id: z.string(),
  text: z.string(),
  images: z.array(imageAttachmentSchema).optional(),
  at: count,
});

const assistantBlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), index: count, text: z.string() }),
  z.object({
    type: z.literal('thinking'),
    index: count,
    thinking: z.string(),
    signature: z.string().nullable(),
  }),
  z.object({ type: z.literal('redacted_thinking'), index: count, data: z.string() }),
  z.object({
    type: z.literal('tool_use'),
    index: count,
    id: z.string(),
    name: z.string(),
    partialJson: z.string(),
    input: toolInputSchema.nullable(),
  }),
]);

const assistantItemSchema = z.object({
  kind: z.literal('assistant'),
  turn: count,
  messageId: z.string().nullable(),
  model: z.string().nullable(),
  blocks: z.array(assistantBlockSchema),
  status: z.enum(['streaming', 'complete', 'stopped', 'failed']),
  stopReason: stopReasonSchema.nullable(),
  usage: usageSchema.nullable(),
  error: z
    .object({ kind: assistantFailureKindSchema, message: z.string(), retryable: z.boolean() })
    .nullable(),
});

const toolDecisionSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending') }),
  z.object({
    status: z.literal('approved'),
    by: z.enum(['person', 'policy']),
    scope: z.enum(['once', 'always', 'everywhere']),
    editedInput: toolInputSchema.nullable(),
    rule: policyRuleSchema.optional(),
    grant: policyGrantSchema.optional(),
  }),
  z.object({
    status: z.literal('denied'),
    reason: z.string().nullable(),
    rule: policyRuleSchema.optional(),
  }),
  z.object({ status: z.literal('cancelled') }),
  z.object({ status: z.literal('expired') }),
]);

const toolRunSchema = z.object({
  status: z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']),
  server: z.string().nullable(),
  chunks: count,
  progress: z.number().nonnegative(),
  total: z.number().nonnegative().nullable(),
  text: z.string(),
  message: z.string().nullable(),
  result: z
    .object({ content: z.string(), isError: z.boolean(), file: fileWrittenSchema.nullable() })
    .nullable(),
  error: z.string().nullable(),
});

const toolCallItemSchema = z.object({
  kind: z.literal('tool'),
  toolUseId: z.string(),
  name: z.string(),
  input: toolInputSchema,
  turn: count,
  decision: toolDecisionSchema,
  run: toolRunSchema.nullable(),
});

const noticeItemSchema = z.object({
  kind: z.literal('notice'),
  code: z.enum(['always_allow_granted', 'always_allow_granted_everywhere', 'always_allow_revoked']),
  toolName: z.string(),
});

const contextSchema = z.object({
  items: z.array(
    z.discriminatedUnion('kind', [
      userItemSchema,
      assistantItemSchema,
      toolCallItemSchema,
      noticeItemSchema,
    ]),
  ),
  turn: count,
  alwaysAllowed: z.array(z.string()),
  settings: conversationSettingsSchema.optional(),
  title: z.string().optional(),
  approvalExpiresAt: count.optional(),
});

/**
 * Whether two types are the same, optional fields included (mutual assignability would let the
 * schema leave out an optional field, which zod would then strip from every checkpoint).
 */
type Same<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const sameAsContext: Same<z.infer<typeof contextSchema>, ConversationContext> = true;
void sameAsContext;

export const conversationContextSchema: z.ZodType<ConversationContext> = contextSchema;
