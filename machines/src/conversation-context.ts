import type { ToolInput } from './events/command-events.ts';
import type { AssistantFailureKind, FileWritten, StopReason, Usage } from './events/fact-events.ts';
import type { PolicyGrant, PolicyRule } from './events/policy-events.ts';
import type { ConversationSettings } from './events/settings-events.ts';
import type { ImageAttachment } from './images/image-limits.ts';

// The context is the conversation's timeline: what a person sees, in order. The messages sent to
// Claude are derived from it (to-claude-messages.ts), so there is one source of truth.

export interface UserItem {
  kind: 'user';
  id: string;
  text: string;
  /** The images attached to the message, by reference; absent when none (as in older logs). */
  images?: ImageAttachment[];
  at: number;
}

/** `index` is the stream's content block index: blocks arrive one after the other, never interleaved. */
export type AssistantBlock =
  | { type: 'text'; index: number; text: string }
  | { type: 'thinking'; index: number; thinking: string; signature: string | null }
  | { type: 'redacted_thinking'; index: number; data: string }
  | {
      type: 'tool_use';
      index: number;
      id: string;
      name: string;
      /** The raw JSON as it streams; valid only once `input` is set. */
      partialJson: string;
      /** Set when the block is complete. */
      input: ToolInput | null;
    };

export type AssistantStatus = 'streaming' | 'complete' | 'stopped' | 'failed';

export interface AssistantError {
  kind: AssistantFailureKind;
  message: string;
  retryable: boolean;
}

export interface AssistantItem {
  kind: 'assistant';
  /** The number of the Claude request that produced this item. */
  turn: number;
  messageId: string | null;
  model: string | null;
  blocks: AssistantBlock[];
  status: AssistantStatus;
  stopReason: StopReason | null;
  usage: Usage | null;
  error: AssistantError | null;
}

export type ToolDecision =
  | { status: 'pending' }
  | {
      status: 'approved';
      /** `policy`: an earlier "Always allow", or a rule of POLICY_FILE, approved it without asking. */
      by: 'person' | 'policy';
      scope: 'once' | 'always' | 'everywhere';
      editedInput: ToolInput | null;
      /** The POLICY_FILE rule that approved it (`tool.policy_decided`); absent otherwise. */
      rule?: PolicyRule;
      /** The person's "Always allow everywhere" that approved it (`tool.policy_decided`). */
      grant?: PolicyGrant;
    }
  | {
      status: 'denied';
      reason: string | null;
      /** The POLICY_FILE rule that denied it, without asking anyone; absent for a person's denial. */
      rule?: PolicyRule;
    }
  /** The person stopped the turn before deciding. */
  | { status: 'cancelled' }
  /** Nobody decided before the approval's deadline (APPROVAL_TTL): a denial without a decision. */
  | { status: 'expired' };

export type ToolRunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface ToolRun {
  status: ToolRunStatus;
  server: string | null;
  /** Chunks received, in order; also the index the next chunk must carry. */
  chunks: number;
  /** Bytes written so far as the tool reports them (or its abstract progress). */
  progress: number;
  total: number | null;
  /** Everything the chunks carried, concatenated: what the file holds once the run completes. */
  text: string;
  message: string | null;
  result: { content: string; isError: boolean; file: FileWritten | null } | null;
  error: string | null;
}

export interface ToolCallItem {
  kind: 'tool';
  toolUseId: string;
  name: string;
  /** The input Claude asked for. */
  input: ToolInput;
  turn: number;
  decision: ToolDecision;
  /** Null until approved. */
  run: ToolRun | null;
}

export interface NoticeItem {
  kind: 'notice';
  /** `always_allow_granted_everywhere`: for every conversation of the person (a server grant). */
  code: 'always_allow_granted' | 'always_allow_granted_everywhere' | 'always_allow_revoked';
  toolName: string;
}

export type TimelineItem = UserItem | AssistantItem | ToolCallItem | NoticeItem;

export interface ConversationContext {
  items: TimelineItem[];
  /** The number of the latest Claude request; facts of older requests are stale. */
  turn: number;
  /** Tools the person chose to "Always allow" in this conversation. */
  alwaysAllowed: string[];
  /**
   * The Claude settings the person chose for this conversation (`conversation.settings_changed`):
   * the model, extended thinking and the system prompt of its next requests. Absent until they
   * choose, when the server's defaults apply, so a log without a change folds as it always did.
   */
  settings?: ConversationSettings;
  /**
   * The title the person gave the conversation (`conversation.renamed`); absent until they do,
   * so a log without a rename folds to the context it always did.
   */
  title?: string;
  /**
   * While calls wait in `awaitingApproval`: when they expire undecided (ms since the epoch), from
   * the `expiresAt` of the `assistant.completed` that asked for them. Absent when approvals do
   * not expire, and once the turn resumes.
   */
  approvalExpiresAt?: number;
}

export const initialConversationContext: ConversationContext = {
  items: [],
  turn: 0,
  alwaysAllowed: [],
};
