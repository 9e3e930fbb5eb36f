import {
  type ClaudeRequest,
  type ConversationEvent,
  conversationMachine,
} from '@tollgate/machines';
import { fromCallback } from 'xstate';
import {
  type ConversationRegistryDeps,
  createConversationRegistry,
} from '../../../src/conversations/conversation-registry.ts';
import { createFactRoutes } from '../../../src/conversations/fact-routes.ts';
import type { Store } from '../../../src/store/store.ts';
import { silentLogger } from '../../silent-logger.ts';

/**
 * A registry on `store` whose conversations have a Claude that never answers (each turn stays
 * where the test puts it); `opened()` counts the runtimes it has built. Close it after the test.
 */
export function testRegistry(
  store: Store,
  options: Pick<ConversationRegistryDeps, 'takeOverEveryMs'> = {},
) {
  const factRoutes = createFactRoutes(silentLogger());
  let opened = 0;
  const registry = createConversationRegistry({
    store,
    logger: silentLogger(),
    ...options,
    runtimeDeps: {
      liveMachine: conversationMachine.provide({
        actors: { claude: fromCallback<ConversationEvent, ClaudeRequest>(() => {}) },
      }),
      factRoutes: {
        bind(system, dispatch) {
          opened += 1;
          factRoutes.bind(system, dispatch);
        },
      },
      clock: () => 1,
    },
  });
  return { registry, opened: () => opened };
}
