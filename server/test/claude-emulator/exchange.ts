// One request/response pair as the emulator sees it: when its connection closes, who closed it,
// and whether a held stream may go on. Tests assert on these, so they must not depend on timing.

import type { ServerResponse } from 'node:http';

export class Exchange {
  /** resolves once the response's connection is closed, by either side */
  readonly closed: Promise<void>;
  #isClosed = false;
  #endedByServer = false;
  #clientAborted = false;
  #released = false;
  readonly #releaseWaiters: (() => void)[] = [];

  constructor(readonly response: ServerResponse) {
    this.closed = new Promise((resolve) => {
      response.once('close', () => {
        this.#isClosed = true;
        // `writableEnded` is false only if the emulator had not finished its answer, so the
        // close came from the client (unless the emulator cut or is shutting down).
        this.#clientAborted = !response.writableEnded && !this.#endedByServer;
        for (const wake of this.#releaseWaiters.splice(0)) wake();
        resolve();
      });
    });
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  get clientAborted(): boolean {
    return this.#clientAborted;
  }

  /** Destroys the connection mid-response, the way a proxy or network failure would. */
  cut(): void {
    this.#endedByServer = true;
    this.response.destroy();
  }

  /** Marks the close that follows as the emulator's doing, not the client's. */
  shutDown(): void {
    this.#endedByServer = true;
  }

  /** Lets a held stream go on; also lets through a stream that has not reached its hold yet. */
  release(): void {
    this.#released = true;
    for (const wake of this.#releaseWaiters.splice(0)) wake();
  }

  /** Resolves on release() or when the connection closes, whichever comes first. */
  waitForRelease(): Promise<void> {
    if (this.#released || this.#isClosed) return Promise.resolve();
    return new Promise((resolve) => this.#releaseWaiters.push(resolve));
  }

  /** Resolves after `ms`, or earlier if the connection closes. */
  delay(ms: number): Promise<void> {
    if (this.#isClosed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      void this.closed.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Writes one chunk and waits until Node has handed it to the socket (or the socket is gone). */
  write(chunk: Uint8Array): Promise<void> {
    if (this.#isClosed) return Promise.resolve();
    return new Promise((resolve) => {
      this.response.write(chunk, () => resolve());
      void this.closed.then(() => resolve());
    });
  }
}
