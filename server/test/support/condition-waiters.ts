/**
 * Waiting without sleeping: `until(done)` settles once `done()` holds, checked at once and each
 * time the owner calls `changed()` (a message arrived, a command was taken).
 */
export function conditionWaiters() {
  const waiters = new Set<() => void>();
  return {
    changed(): void {
      for (const check of [...waiters]) check();
    },
    until(done: () => boolean): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (!done()) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
  };
}
