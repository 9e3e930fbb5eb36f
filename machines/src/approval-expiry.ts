import type { ConversationContext } from './conversation-context.ts';
import type { AssistantCompletedEvent } from './events/fact-events.ts';
import { produce } from './immer-produce.ts';
import { isToolCallItem } from './timeline-queries.ts';

// Approvals that expire (APPROVAL_TTL). The machine never reads a clock: the deadline comes in the
// `assistant.completed` that asked for the calls (stamped by the server), and the server's approval
// timer reports `approval.expired` once it passes. So a rebuilt conversation has the same deadline,
// and a replay, whose timer does nothing, folds the same.

/** What the approval timer is given: report `approval.expired` for this turn at `expiresAt`. */
export interface ApprovalTimerRequest {
  turn: number;
  /** Ms since the epoch; null when the calls do not expire. */
  expiresAt: number | null;
}

/** The turn asked for calls: they wait until the fact's deadline, or for ever without one. */
export function startApprovalClock(
  context: ConversationContext,
  event: AssistantCompletedEvent,
): ConversationContext {
  if (event.expiresAt === undefined) return stopApprovalClock(context);
  return { ...context, approvalExpiresAt: event.expiresAt };
}

/** The turn goes on (or stops): no deadline any more. */
export function stopApprovalClock(context: ConversationContext): ConversationContext {
  if (context.approvalExpiresAt === undefined) return context;
  // `assign` merges what it is given into the context, so the field is cleared, not left out.
  return { ...context, approvalExpiresAt: undefined };
}

/**
 * The deadline passed: every call still waiting is recorded as expired, and does not run. The
 * deadline is the turn's: a call a revoked "Always allow" sends back later expires at once.
 */
export function expirePendingCalls(context: ConversationContext): ConversationContext {
  return produce(context, (draft) => {
    for (const item of draft.items) {
      if (isToolCallItem(item) && item.decision.status === 'pending') {
        item.decision = { status: 'expired' };
      }
    }
  });
}
