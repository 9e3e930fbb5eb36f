import type { LogEntry } from '@tollgate/machines';
import type { Subscriber } from '../../../src/conversations/conversation-runtime.ts';
import { conditionWaiters } from '../../support/condition-waiters.ts';

/**
 * A watcher of a conversation: it keeps every message it is sent (as text) and every entry in
 * them, and can wait, without sleeping, until what it holds satisfies a condition.
 */
export function watcher() {
  const messages: string[] = [];
  const received: LogEntry[] = [];
  // Settles once a condition holds, checked now and after every message.
  const { until, changed } = conditionWaiters();

  const subscriber: Subscriber & {
    messages: string[];
    received: LogEntry[];
    until: typeof until;
    holding: (count: number) => Promise<void>;
  } = {
    messages,
    received,
    deliver(message: string) {
      messages.push(message);
      const parsed = JSON.parse(message) as { entries?: LogEntry[] };
      received.push(...(parsed.entries ?? []));
      changed();
    },
    until,
    /** Settles once it holds `count` entries in all. */
    holding: (count: number) => until(() => received.length >= count),
  };
  return subscriber;
}

export type Watcher = ReturnType<typeof watcher>;
