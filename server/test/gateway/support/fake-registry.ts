import type { CommandInput } from '@tollgate/machines';
import type {
  CommandOutcome,
  Subscriber,
} from '../../../src/conversations/conversation-runtime.ts';
import type { SubscribeOptions } from '../../../src/conversations/fan-out.ts';
import type { GatewayRegistry, GatewayRuntime } from '../../../src/gateway/gateway-registry.ts';
import { conditionWaiters } from '../../support/condition-waiters.ts';

/**
 * A conversation as the gateway sees it: it records subscribers and commands, and answers each
 * command with `outcome` (a duplicate unless told otherwise, so no log entry is needed). `until`
 * waits, without sleeping, for what the gateway does to it (a subscriber added, a command taken).
 */
export function createFakeRuntime(
  outcome: (input: CommandInput) => CommandOutcome = () => ({ status: 'duplicate' }),
) {
  const subscribers = new Set<Subscriber>();
  const commands: CommandInput[] = [];
  const { until, changed } = conditionWaiters();
  const runtime = {
    subscribers,
    commands,
    lastSeq: 0,
    /** Messages a subscribe delivers as its catch-up, before the subscriber is added. */
    backlog: [] as string[],
    /** Each subscribe's seq and whether it takes a checkpoint. */
    subscriptions: [] as { afterSeq: number; checkpoint: boolean }[],
    async subscribe(
      subscriber: Subscriber,
      afterSeq: number,
      options: SubscribeOptions = {},
    ): Promise<number> {
      runtime.subscriptions.push({ afterSeq, checkpoint: options.checkpoint ?? false });
      const catchUp = options.catchUp ?? subscriber;
      for (const message of runtime.backlog) catchUp.deliver(message);
      // As the runtime's fan-out does: after the catch-up, before any live entry.
      options.subscribed?.(runtime.lastSeq);
      subscribers.add(subscriber);
      changed();
      return runtime.lastSeq;
    },
    unsubscribe(subscriber: Subscriber) {
      subscribers.delete(subscriber);
      changed();
    },
    async command(input: CommandInput): Promise<CommandOutcome> {
      commands.push(input);
      changed();
      return outcome(input);
    },
    /** Settles once `done()` holds, checked now and after every subscribe, unsubscribe, command. */
    until,
  } satisfies GatewayRuntime & Record<string, unknown>;
  return runtime;
}

export function createFakeRegistry(runtimes: Record<string, GatewayRuntime>): GatewayRegistry {
  return {
    get: async (conversationId) => runtimes[conversationId] ?? null,
    unsubscribe: (conversationId, subscriber) => runtimes[conversationId]?.unsubscribe(subscriber),
  };
}
