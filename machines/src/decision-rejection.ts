import type { ConversationContext } from './conversation-context.ts';
import { findToolCall } from './timeline-queries.ts';

export interface CommandRejection {
  code:
    | 'unknown_tool_use'
    | 'already_decided'
    | 'busy'
    | 'nothing_to_stop'
    | 'nothing_to_retry'
    | 'not_always_allowed'
    /** Conversation settings the server does not offer (conversation-settings.ts). */
    | 'settings_not_offered'
    /** A message naming an image the server does not hold (server/src/images/). */
    | 'unknown_image';
  message: string;
}

/** Why a decision on `toolUseId` cannot be taken now, or null if it can: the first decision wins. */
export function decisionRejection(
  context: ConversationContext,
  toolUseId: string,
): CommandRejection | null {
  const call = findToolCall(context, toolUseId);
  if (call === undefined) {
    return {
      code: 'unknown_tool_use',
      message: `No tool call ${toolUseId} is waiting for a decision in this conversation.`,
    };
  }
  if (call.decision.status !== 'pending') {
    return {
      code: 'already_decided',
      message: `The call to ${call.name} was already decided (${call.decision.status}); the first decision stands.`,
    };
  }
  return null;
}
