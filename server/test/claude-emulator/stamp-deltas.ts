// Opt-in for benchmarks (`stampDeltas: true` on a stream script): each text delta's text is
// prefixed, just before its event is written, by the emulator's send time. A client that receives
// the delta, in any process on the same machine, subtracts it from its own receive time on the
// same clock basis (epoch milliseconds with sub-millisecond precision) to get the latency added
// on the way.

import type { SseEvent } from './stream-events.ts';

/** Ends every stamp, so a stamp stays readable if deltas are ever joined. */
export const STAMP_SEPARATOR = '|';

/** Epoch milliseconds, monotonic within a process, comparable across processes. */
export function stampClock(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * The event with its text delta's text prefixed by the current time and the separator (the text
 * itself is kept: spaces and paragraph breaks shape how a page lays it out); other events as
 * they are.
 */
export function stampTextDelta(event: SseEvent): SseEvent {
  const delta = event.data.delta as { type?: unknown } | undefined;
  if (event.event !== 'content_block_delta' || delta?.type !== 'text_delta') return event;
  return {
    event: event.event,
    data: {
      ...event.data,
      delta: {
        ...delta,
        text: `${stampClock()}${STAMP_SEPARATOR}${(delta as { text?: string }).text ?? ''}`,
      },
    },
  };
}

/** Reads the stamp back from a delta's text, or NaN if it carries none. */
export function readStamp(text: string): number {
  const end = text.indexOf(STAMP_SEPARATOR);
  return end > 0 ? Number(text.slice(0, end)) : Number.NaN;
}
