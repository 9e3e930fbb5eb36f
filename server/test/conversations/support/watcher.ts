import type { LogEntry } from '@tollgate/machines';
import type { Subscriber } from '../../../src/conversations/conversation-runtime.ts';

/**
 * A watcher of a conversation: it keeps every message it is sent (as text) and every entry in
 * them, and can wait, without sleeping, until what it holds satisfies a condition.
 */
export function watcher() {
  const messages: string[] = [];
  const received: LogEntry[] = [];
  const waiters = new Set<() => void>();

  /** Settles once `done()` holds, checked now and after every message. */
  function until(done: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!done()) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  }

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
      for (const check of [...waiters]) check();
    },
    until,
    /** Settles once it holds `count` entries in all. */
    holding: (count: number) => until(() => received.length >= count),
  };
  return subscriber;
}

export type Watcher = ReturnType<typeof watcher>;
