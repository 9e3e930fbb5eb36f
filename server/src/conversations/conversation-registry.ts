import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import {
  type ConversationRuntime,
  type ConversationRuntimeDeps,
  openConversationRuntime,
} from './conversation-runtime.ts';
import { createLogWriter } from './log-writer.ts';

export interface ConversationRegistryDeps {
  store: Pick<Store, 'log' | 'conversations' | 'checkpoints' | 'commands'>;
  logger: Logger;
  runtimeDeps: Omit<
    ConversationRuntimeDeps,
    'conversationId' | 'log' | 'checkpoints' | 'commands' | 'logger' | 'writer'
  >;
  /** How often dormant conversations (at rest, nobody watching) are stopped. */
  sweepEveryMs?: number;
}

/**
 * The live conversations of this process: each is opened on demand (rebuilt from its log) and
 * stopped again once it is dormant, so memory follows activity, not history.
 */
export function createConversationRegistry(deps: ConversationRegistryDeps) {
  const { store } = deps;
  const live = new Map<string, ConversationRuntime>();
  const writer = createLogWriter(store.log, (error) =>
    deps.logger.error({ err: error }, 'writing streamed facts failed'),
  );
  const sweep = setInterval(() => {
    for (const [id, runtime] of live) {
      if (runtime.isDormant()) {
        runtime.stop();
        live.delete(id);
        deps.logger.debug({ conversationId: id }, 'stopped dormant conversation');
      }
    }
  }, deps.sweepEveryMs ?? 60_000);
  sweep.unref();

  return {
    /** The live runtime of a stored conversation, or null if there is no such conversation. */
    get(conversationId: string): ConversationRuntime | null {
      const existing = live.get(conversationId);
      if (existing) return existing;
      if (!store.conversations.has(conversationId)) return null;
      const runtime = openConversationRuntime({
        ...deps.runtimeDeps,
        conversationId,
        log: store.log,
        checkpoints: store.checkpoints,
        commands: store.commands,
        writer,
        // A runtime that stopped itself (its log could not be written) is rebuilt on next use.
        onFailure: () => live.delete(conversationId),
        logger: deps.logger.child({ conversationId }),
      });
      live.set(conversationId, runtime);
      return runtime;
    },
    close() {
      clearInterval(sweep);
      writer.flush();
      for (const runtime of live.values()) runtime.stop();
      live.clear();
    },
  };
}

export type ConversationRegistry = ReturnType<typeof createConversationRegistry>;
