import type { Owner } from './conversation-index.ts';

/**
 * "Always allow everywhere" (docs/policies.md): a person's standing approval of one tool of one MCP
 * server, for every conversation of theirs, on every instance. The decision that made it is an
 * entry of a conversation's log (`tool.approve` with `scope: "everywhere"`, stamped with the
 * grant's tool and server); each store writes the grant in the transaction that appends that entry,
 * and names it by it: `<conversationId>:<seq>`.
 */
export interface ToolGrant {
  id: string;
  owner: Owner;
  /** The tool's name as Claude calls it. */
  toolName: string;
  /** The MCP server that offered it when the grant was made: a tool of another server asks again. */
  server: string;
  conversationId: string;
  seq: number;
  grantedAt: number;
}

/**
 * "Always allow" in one conversation: later calls of the tool there run without asking, until
 * `policy.revoke`. Written and removed in the transactions that append those entries, and gone with
 * the conversation; listed for the Policies panel. Named by its decision like a ToolGrant.
 */
export interface ConversationGrant {
  id: string;
  conversationId: string;
  toolName: string;
  /** The MCP server that offered the tool then; null when none did. */
  server: string | null;
  seq: number;
  grantedAt: number;
}

export interface ToolGrants {
  /**
   * Keeps a grant. One per person, server and tool: when one is already kept, that one stays and
   * is returned.
   */
  add(grant: Omit<ToolGrant, 'id'>): Promise<ToolGrant>;
  /** The person's grants, newest first. */
  list(owner: Owner): Promise<ToolGrant[]>;
  /** The person's grant of this tool of this server, or null. */
  find(owner: Owner, server: string, toolName: string): Promise<ToolGrant | null>;
  /** Removes one of the person's grants; null when they have none by that id. */
  revoke(owner: Owner, id: string): Promise<ToolGrant | null>;
  /** The "Always allow"s of the person's conversations, newest first. */
  listInConversations(owner: Owner): Promise<ConversationGrant[]>;
}

export const grantId = (conversationId: string, seq: number) => `${conversationId}:${seq}`;

/** `<conversationId>:<seq>` read back; null for anything else. */
export function parseGrantId(id: string): { conversationId: string; seq: number } | null {
  const at = id.lastIndexOf(':');
  const seq = Number(id.slice(at + 1));
  if (at <= 0 || !Number.isInteger(seq) || seq < 1) return null;
  return { conversationId: id.slice(0, at), seq };
}

/** A row of `tool_grants` or `conversation_grants`, as both stores read it. */
export interface GrantRow {
  owner?: string;
  tool_name: string;
  server: string;
  conversation_id: string;
  seq: number;
  /** A number from SQLite, a bigint's text from PostgreSQL. */
  granted_at: number | string;
}

/** The single owner (null) is kept as '' so that the key (owner, server, tool) is unique for it too. */
export const ownerKey = (owner: Owner): string => owner ?? '';

export function grantFromRow(row: GrantRow): ToolGrant {
  return {
    id: grantId(row.conversation_id, row.seq),
    owner: row.owner === '' || row.owner === undefined ? null : row.owner,
    toolName: row.tool_name,
    server: row.server,
    conversationId: row.conversation_id,
    seq: row.seq,
    grantedAt: Number(row.granted_at),
  };
}

/** A conversation's "Always allow": its server is '' when the tool's server was not known. */
export function conversationGrantFromRow(row: GrantRow): ConversationGrant {
  return {
    id: grantId(row.conversation_id, row.seq),
    conversationId: row.conversation_id,
    toolName: row.tool_name,
    server: row.server === '' ? null : row.server,
    seq: row.seq,
    grantedAt: Number(row.granted_at),
  };
}
