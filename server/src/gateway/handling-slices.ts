/** What the slices need of the event loop: a clock, and a way to run later, after pending I/O. */
export interface SliceLoop {
  /** A monotonic clock, in milliseconds. */
  now(): number;
  /**
   * Runs `run` once the loop has gone on (setImmediate: after the I/O callbacks of the current
   * poll, and at the latest after the next poll's).
   */
  nextTurn(run: () => void): void;
}

/** Node's own loop, as the server runs it. */
export const NODE_SLICE_LOOP: SliceLoop = {
  now: () => performance.now(),
  nextTurn: (run) => {
    setImmediate(run);
  },
};

/**
 * How long the clients' messages may be handled, all connections together, before the event
 * loop gets a turn for its I/O, when that I/O was short. A burst of messages (many people
 * sending at once, every tab reconnecting after a restart) would otherwise be handled in one
 * stretch: a turn's request to Claude goes out only once its connection is made, which the loop
 * sees only after the stretch, and the answers already streaming wait behind it too.
 */
export const SLICE_MS = 2;

/**
 * The longest slice. After a long turn of I/O, the next slice may run as long as that turn took,
 * so that under load the messages and the I/O take turns and neither is starved; up to this.
 */
export const MAX_SLICE_MS = 8;

/**
 * Cuts the handling of the clients' messages into slices: a message that comes due once the
 * current slice has used its time waits for a later turn of the event loop, behind the messages
 * already waiting, in the order they came due (a connection's next message comes due once its
 * last is handled). A slice lasts `minMs`, or as long as the loop's other work took since the
 * last slice gave way to it, up to `maxMs`. Only the start of each message's handling is placed;
 * what it then awaits (the store, Claude) is not held back.
 */
export function createHandlingSlices(loop: SliceLoop, minMs = SLICE_MS, maxMs = MAX_SLICE_MS) {
  // When the current slice began, and its length; null between slices. A slice is over once the
  // loop has turned (`endSlice`), which may be after a whole poll: it has run out of time by then
  // anyway, or nothing is waiting.
  let sliceStartedAt: number | null = null;
  let sliceMs = minMs;
  // When a slice last ran out of time with a message left to handle: the loop's other work, which
  // the next slice may match, runs from then.
  let gaveWayAt: number | null = null;
  // The messages waiting, first come first; each is told whether to go (false once closed).
  const waiting: Array<(go: boolean) => void> = [];
  let closed = false;
  const endSlice = () => {
    sliceStartedAt = null;
  };

  /** Whether handling may start now, in the current slice or in a new one. */
  function mayStart(): boolean {
    const at = loop.now();
    if (sliceStartedAt === null) {
      sliceMs = gaveWayAt === null ? minMs : Math.min(maxMs, Math.max(minMs, at - gaveWayAt));
      gaveWayAt = null;
      sliceStartedAt = at;
      loop.nextTurn(endSlice);
      return true;
    }
    if (at - sliceStartedAt < sliceMs) return true;
    gaveWayAt ??= at;
    return false;
  }

  // One loop callback per waiting message, each releasing the first in line, so that a released
  // message's handling (its promise jobs) has run before the next one's time is judged. While the
  // slice has no time left, the callback waits another turn: cheap next to the handling it waits
  // for.
  function releaseFirst(): void {
    if (closed) return;
    if (mayStart()) waiting.shift()?.(true);
    else loop.nextTurn(releaseFirst);
  }

  return {
    /**
     * Null when the message may be handled now; otherwise a promise that settles when its slice
     * comes (true), or when the gateway closes first (false: it is not to be handled).
     */
    place(): Promise<boolean> | null {
      if (closed) return Promise.resolve(false);
      if (waiting.length === 0 && mayStart()) return null;
      return new Promise<boolean>((go) => {
        waiting.push(go);
        loop.nextTurn(releaseFirst);
      });
    },
    /**
     * Drops the messages still waiting, and any that come: the gateway is closing, and their
     * sockets with it (a tab sends an unanswered command again when it reconnects).
     */
    close(): void {
      closed = true;
      for (const go of waiting.splice(0)) go(false);
    },
  };
}

export type HandlingSlices = ReturnType<typeof createHandlingSlices>;
