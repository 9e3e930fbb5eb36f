/** Where the stores send an error thrown by a listener when their owner names no other place. */
export function logListenerError(error: unknown): void {
  console.error('a store listener failed:', error);
}

/**
 * A set of listeners, called synchronously in the order they were added. A listener that throws
 * is reported to `onError` and the others are still called: the one emitting (an append that has
 * committed) must not fail because of what a reader did with the news. A value emitted by a
 * listener (one that appends in turn) is delivered once every listener has the current one, so
 * every listener sees the values in the order they were emitted.
 */
export function createListeners<T>(onError: (error: unknown) => void) {
  const listeners = new Set<(value: T) => void>();
  const queue: T[] = [];
  let emitting = false;
  return {
    /** Returns a function that removes the listener. */
    add(listener: (value: T) => void): () => void {
      // Wrapped, so the same function added twice is called twice and removed once per removal.
      const call = (value: T) => listener(value);
      listeners.add(call);
      return () => listeners.delete(call);
    },
    emit(value: T): void {
      if (listeners.size === 0) return;
      queue.push(value);
      if (emitting) return;
      emitting = true;
      try {
        for (let i = 0; i < queue.length; i++) {
          for (const listener of [...listeners]) {
            try {
              listener(queue[i]!);
            } catch (error) {
              onError(error);
            }
          }
        }
      } finally {
        queue.length = 0;
        emitting = false;
      }
    },
    get size() {
      return listeners.size;
    },
    clear(): void {
      listeners.clear();
    },
  };
}
