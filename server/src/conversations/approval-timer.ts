import type { ApprovalTimerRequest, ConversationEvent, FactEvent } from '@tollgate/machines';
import { fromCallback } from 'xstate';
import type { DispatchFor } from './fact-routes.ts';

/** The longest wait setTimeout takes; a later deadline is reached in several waits. */
const MAX_TIMEOUT = 2 ** 31 - 1;

export interface ApprovalTimerDeps {
  dispatchFor: DispatchFor;
  clock: () => number;
}

/**
 * The machine's `approvalTimer` actor, invoked while calls wait for a decision: at the deadline it
 * reports `approval.expired`, which the runtime logs and the machine applies (a stale one, the
 * calls decided meanwhile, is dropped by the runtime's decide step). A deadline already past, as
 * after a restart or a failover, is reported at once. Stopping the actor (a decision, Stop) clears
 * the timer.
 */
export function createApprovalTimerActor(deps: ApprovalTimerDeps) {
  return fromCallback<ConversationEvent, ApprovalTimerRequest>(({ input, system }) => {
    const { expiresAt, turn } = input;
    if (expiresAt === null) return undefined;
    const dispatch = deps.dispatchFor(system);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const wait = () => {
      const left = expiresAt - deps.clock();
      if (left <= 0) {
        timer = undefined;
        dispatch({ type: 'approval.expired', turn });
        return;
      }
      timer = setTimeout(wait, Math.min(left, MAX_TIMEOUT));
    };
    // Never report from inside the machine's own transition: the runtime queues facts anyway,
    // but the actor starts while the machine is still entering awaitingApproval.
    timer = setTimeout(wait, 0);
    return () => {
      if (timer !== undefined) clearTimeout(timer);
    };
  });
}

/**
 * The Claude actor's dispatch, with the deadline stamped on each `assistant.completed` when
 * APPROVAL_TTL is set: the calls the turn asks for expire `ttlMs` after it completes. Stamped at the
 * edge, so the log holds the deadline and every rebuild of the conversation has the same one.
 */
export function withApprovalDeadline(
  dispatchFor: DispatchFor,
  ttlMs: number | null,
  clock: () => number,
): DispatchFor {
  if (ttlMs === null) return dispatchFor;
  return (system) => {
    const dispatch = dispatchFor(system);
    return (fact: FactEvent) =>
      dispatch(
        fact.type === 'assistant.completed' ? { ...fact, expiresAt: clock() + ttlMs } : fact,
      );
  };
}
