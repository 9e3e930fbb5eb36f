import { z } from 'zod';

// The Policies panel (docs/policies.md): a person's grants, "Always allow everywhere" and the
// "Always allow"s of their conversations, listed and revoked over the socket. The grants are the
// person's own; each names the decision that made it.

export const toolGrantInfoSchema = z.object({
  /** `<conversationId>:<seq>`: the decision's log entry. */
  id: z.string().min(1),
  /** The tool's name as Claude calls it. */
  toolName: z.string(),
  /**
   * `everywhere`: every conversation of the person; `conversation`: only `conversationId` (an
   * "Always allow" there). Absent from an older server: `everywhere`.
   */
  scope: z.enum(['everywhere', 'conversation']).default('everywhere'),
  /** The MCP server; null for an "Always allow" of a tool no server offered then. */
  server: z.string().nullable(),
  conversationId: z.string(),
  seq: z.number().int().positive(),
  grantedAt: z.number(),
});

/** Browser → server. */
export const grantRequestSchemas = [
  /** Answered with `grants`. */
  z.object({ type: z.literal('list_grants') }).strict(),
  /**
   * Revoke one of the person's grants: the next call of that tool asks again. A conversation's
   * "Always allow" is revoked by a `policy.revoke` command sent to that conversation. Every
   * connection of the person then gets `grants`; an unknown id is answered `error`/`unknown_grant`.
   */
  z.object({ type: z.literal('revoke_grant'), grantId: z.string().min(1).max(300) }).strict(),
] as const;

/** Server → browser. */
export const grantNewsSchemas = [
  /** The person's grants, newest first: the answer to `list_grants`, and pushed on every change. */
  z.object({ type: z.literal('grants'), grants: z.array(toolGrantInfoSchema) }),
] as const;

export type ToolGrantInfo = z.infer<typeof toolGrantInfoSchema>;
