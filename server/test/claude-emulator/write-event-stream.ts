// Sends a scripted stream over a 200 response, framed as the wire's API frames it (SSE, or
// Bedrock's event stream): each event's bytes cut into several writes at arbitrary byte offsets,
// with the script's delay between events and its fault (error, cut connection, hold) injected
// after the given number of events.

import type { ApiWire } from './api-wire.ts';
import type { Exchange } from './exchange.ts';
import type { StreamScript } from './scripted-response.ts';
import { seededRandom } from './seeded-random.ts';
import { splitBytes } from './split-points.ts';
import { stampTextDelta } from './stamp-deltas.ts';
import { DEFAULT_SEED, type SseEvent } from './stream-events.ts';

/** Keeps the byte cuts independent of the delta cuts drawn from the same seed. */
const BYTE_SEED_SALT = 0x5bd1e995;

/** The event index a fault fires at; a count beyond the stream fires after the last event. */
function faultIndex(after: number | undefined, eventCount: number): number {
  return after === undefined ? -1 : Math.min(Math.max(0, after), eventCount);
}

export async function writeEventStream(
  exchange: Exchange,
  wire: ApiWire,
  events: SseEvent[],
  script: StreamScript,
  requestId: string,
): Promise<void> {
  const random = seededRandom((script.seed ?? DEFAULT_SEED) ^ BYTE_SEED_SALT);
  const holdAt = faultIndex(script.holdAfterEvents, events.length);
  const cutAt = faultIndex(script.cutAfterEvents, events.length);
  const errorAt = faultIndex(script.errorAfterEvents, events.length);
  // A stamped event goes out in one write, so its stamp is when all of its bytes left.
  const write = async (bytes: Uint8Array) => {
    for (const chunk of script.stampDeltas ? [bytes] : splitBytes(bytes, random)) {
      await exchange.write(chunk);
    }
  };
  const send = (event: SseEvent) =>
    write(wire.encode(script.stampDeltas ? stampTextDelta(event) : event));

  const { response } = exchange;
  response.writeHead(200, wire.streamHeaders(requestId));
  // Headers go out now, so the SDK's fetch resolves (and `connect` fires) even while held at 0.
  response.flushHeaders();

  for (let i = 0; i <= events.length; i++) {
    if (i === holdAt) await exchange.waitForRelease();
    if (exchange.isClosed) return;
    if (i === cutAt) return exchange.cut();
    if (i === errorAt) {
      await write(wire.streamError(requestId));
      response.end();
      return;
    }
    const event = events[i];
    if (event === undefined) break;
    if (i > 0 && script.eventDelayMs) await exchange.delay(script.eventDelayMs);
    if (exchange.isClosed) return;
    await send(event);
  }
  response.end();
}
