import type { FactEvent } from '@tollgate/machines';

/** A conversation's way in for the facts of its IO actors: logged, then consumed (see the runtime). */
export type Dispatch = (fact: FactEvent) => void;

/** What an IO actor calls with the `system` XState hands it, to find its conversation's dispatch. */
export type DispatchFor = (system: object) => Dispatch;

/**
 * How an IO actor finds the conversation it works for. The live machine is one definition shared
 * by every conversation: a definition per conversation, whose actors closed over its dispatch, cost
 * 0.6 ms to build and initialise at each open (120 ms of one event-loop turn when 200 turns start
 * at once). XState gives every conversation actor an actor system of its own and hands it to each
 * actor it invokes, so the runtime binds its dispatch to that system before it starts the actor.
 */
export function createFactRoutes() {
  const routes = new WeakMap<object, Dispatch>();
  return {
    bind(system: object, dispatch: Dispatch) {
      routes.set(system, dispatch);
    },
    dispatchFor: ((system) => {
      const dispatch = routes.get(system);
      if (!dispatch) throw new Error('an IO actor was started outside a conversation runtime');
      return dispatch;
    }) satisfies DispatchFor,
  };
}

export type FactRoutes = ReturnType<typeof createFactRoutes>;
