import { z } from 'zod';

// The server's tool policy (docs/policies.md) decides some calls before anyone is asked: a rule
// of POLICY_FILE allows or denies them. It reports each decision as a fact, so the log, every tab,
// a replay and the inspector see why a call ran (or did not) without a dialog.

/** A rule of POLICY_FILE, as the file wrote it: its place (1-based), effect and patterns. */
export const policyRuleSchema = z.object({
  /** Its place in the file's `rules`, from 1: the first rule that matches decides. */
  index: z.number().int().positive(),
  effect: z.enum(['allow', 'deny', 'ask']),
  /** Glob on the MCP server's configured name; `*` when the rule names none. */
  server: z.string().min(1).max(200),
  /** Glob on the tool's name on that server; `*` when the rule names none. */
  tool: z.string().min(1).max(200),
  /** The rule's own words, for the timeline and for Claude (a deny rule's reason). */
  reason: z.string().max(500).optional(),
});

/** A person's "Always allow everywhere", named by the log entry of the decision that made it. */
export const policyGrantSchema = z.object({
  /** `<conversationId>:<seq>`. */
  id: z.string().min(1).max(300),
  conversationId: z.string().min(1).max(128),
  seq: z.number().int().positive(),
});

export const toolPolicyDecidedEventSchema = z
  .object({
    type: z.literal('tool.policy_decided'),
    toolUseId: z.string().min(1).max(128),
    decision: z.enum(['approved', 'denied']),
    /** The rule that decided (only `allow` and `deny` rules decide; `ask` leaves it to the person). */
    rule: policyRuleSchema.optional(),
    /** Or the person's grant that approved it (a grant never denies). */
    grant: policyGrantSchema.optional(),
  })
  .refine(
    (event) =>
      event.rule !== undefined
        ? event.grant === undefined
        : event.grant !== undefined && event.decision === 'approved',
    'A policy decision names either the rule that made it or the grant that approved it.',
  );

export type PolicyRule = z.infer<typeof policyRuleSchema>;
export type PolicyGrant = z.infer<typeof policyGrantSchema>;
export type ToolPolicyDecidedEvent = z.infer<typeof toolPolicyDecidedEventSchema>;
