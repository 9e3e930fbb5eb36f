// Promises keyed by a 1-based request number, which a test may await before or after the event
// happens: waitForRequest(3) can be called while request 3 is still to come.

export class IndexedSignals<T> {
  readonly #entries = new Map<number, { promise: Promise<T>; resolve: (value: T) => void }>();

  #entry(n: number) {
    let entry = this.#entries.get(n);
    if (!entry) {
      let resolve!: (value: T) => void;
      const promise = new Promise<T>((r) => {
        resolve = r;
      });
      entry = { promise, resolve };
      this.#entries.set(n, entry);
    }
    return entry;
  }

  wait(n: number): Promise<T> {
    return this.#entry(n).promise;
  }

  fire(n: number, value: T): void {
    this.#entry(n).resolve(value);
  }
}
