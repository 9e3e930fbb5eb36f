import type {
  ClaudeOptions,
  ClaudeStatus,
  ConversationSummary,
  ErrorCode,
  McpServerStatus,
  ToolGrantInfo,
  ToolInfo,
  VersionMismatchReason,
} from '@tollgate/machines';

// What the page knows about its connection, apart from the conversations' machines (those live in
// the mirrors). The client replaces this object on every change, so React can compare by identity.

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface ServerNotice {
  /** Local id, for dismissing. */
  id: number;
  code: ErrorCode | 'bad_server_message';
  message: string;
  conversationId: string | null;
  commandId: string | null;
}

/** The server's versions differ from the page's (docs/protocol.md, the hello). */
export interface VersionMismatch {
  /** `page_older`: this page is out of date and must be reloaded. */
  reason: VersionMismatchReason;
  /** Plain English with both sides' versions; the page words the banner from `reason`. */
  message: string;
  /**
   * False when the page has stopped for good: it folds no more entries, sends no commands and does
   * not reconnect. True only for an older server of the same protocol (a rollback of the machine).
   */
  pageWorks: boolean;
}

export interface TransportState {
  connection: ConnectionStatus;
  /** While reconnecting: when the next attempt starts (epoch ms), or null if one is under way. */
  retryAt: number | null;
  /** Failed attempts since the last successful connection. */
  failedAttempts: number;
  /** Set when the server refused the page (token, origin): retrying would not help. */
  refusal: string | null;
  claude: ClaudeStatus | null;
  /** The models, limit and defaults a conversation's settings choose from (the hello's). */
  claudeOptions: ClaudeOptions | null;
  /** Who the server says this is (a person a trusted proxy named); null for the single owner. */
  person: { name: string } | null;
  /** The access cookie can be cleared (POST /signout). */
  canSignOut: boolean;
  tools: ToolInfo[];
  mcpServers: McpServerStatus[];
  /** Null until the server has sent the list. */
  conversations: ConversationSummary[] | null;
  /** Conversations whose catch-up is complete on the current connection. */
  synced: readonly string[];
  /** Conversations the server said do not exist. */
  missing: readonly string[];
  /** Commands sent but not yet seen in the log or refused. */
  pendingCommandIds: readonly string[];
  notices: readonly ServerNotice[];
  versionMismatch: VersionMismatch | null;
  /** Conversations deleted while this page was open (by any tab): a tab showing one leaves it. */
  deleted: readonly string[];
  /** The person's "Always allow everywhere" grants (the server's `grants`), newest first. */
  grants: readonly ToolGrantInfo[];
}

export const initialTransportState: TransportState = {
  connection: 'connecting',
  retryAt: null,
  failedAttempts: 0,
  refusal: null,
  claude: null,
  claudeOptions: null,
  person: null,
  canSignOut: false,
  tools: [],
  mcpServers: [],
  conversations: null,
  synced: [],
  missing: [],
  pendingCommandIds: [],
  notices: [],
  versionMismatch: null,
  deleted: [],
  grants: [],
};
