import type { CommandInput } from '@tollgate/machines';
import type {
  CommandOutcome,
  Subscriber,
} from '../../../src/conversations/conversation-runtime.ts';
import type { GatewayRegistry, GatewayRuntime } from '../../../src/gateway/gateway-registry.ts';

/**
 * A conversation as the gateway sees it: it records subscribers and commands, and answers each
 * command with `outcome` (a duplicate unless told otherwise, so no log entry is needed).
 */
export function createFakeRuntime(
  outcome: (input: CommandInput) => CommandOutcome = () => ({ status: 'duplicate' }),
) {
  const subscribers = new Set<Subscriber>();
  const commands: CommandInput[] = [];
  const runtime = {
    subscribers,
    commands,
    lastSeq: 0,
    /** Messages a subscribe delivers as its catch-up, before the subscriber is added. */
    backlog: [] as string[],
    subscribe(subscriber: Subscriber, _afterSeq: number, catchUp = subscriber): number {
      for (const message of runtime.backlog) catchUp.deliver(message);
      subscribers.add(subscriber);
      return runtime.lastSeq;
    },
    unsubscribe(subscriber: Subscriber) {
      subscribers.delete(subscriber);
    },
    command(input: CommandInput): CommandOutcome {
      commands.push(input);
      return outcome(input);
    },
  } satisfies GatewayRuntime & Record<string, unknown>;
  return runtime;
}

export function createFakeRegistry(runtimes: Record<string, GatewayRuntime>): GatewayRegistry {
  return { get: (conversationId) => runtimes[conversationId] ?? null };
}
