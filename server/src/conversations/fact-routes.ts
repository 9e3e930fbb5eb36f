import type { FactEvent } from '@tollgate/machines';
import type { Logger } from '../logger.ts';

/** A conversation's way in for its IO actors' facts: logged and consumed (see the runtime). */
export type Dispatch = (fact: FactEvent) => void;

/** Called by an IO actor with the `system` XState hands it: its conversation's dispatch. */
export type DispatchFor = (system: object) => Dispatch;

/**
 * How an IO actor finds the conversation it works for. The live machine is one definition shared
 * by every conversation, because building one per conversation (so that its actors could close
 * over that conversation's dispatch) was most of the cost of opening a conversation (figures in
 * docs/performance.md). XState gives every conversation actor an actor system of its own and hands
 * it to each actor it invokes, so the runtime binds its dispatch to that system before it starts
 * the actor.
 */
export function createFactRoutes(logger: Logger) {
  const routes = new WeakMap<object, Dispatch>();
  return {
    bind(system: object, dispatch: Dispatch) {
      routes.set(system, dispatch);
    },
    dispatchFor: ((system) => {
      const dispatch = routes.get(system);
      if (dispatch) return dispatch;
      // XState keeps an invoked actor's start error to itself (the machine would just wait), so
      // this programming error is logged here, where someone will see it.
      const error = new Error('an IO actor was started outside a conversation runtime');
      logger.error({ err: error }, 'IO actor has no conversation to report to');
      throw error;
    }) satisfies DispatchFor,
  };
}

export type FactRoutes = ReturnType<typeof createFactRoutes>;
