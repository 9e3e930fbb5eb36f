// What differs between the two APIs the emulator speaks, the Anthropic Messages API
// (anthropic-wire.ts) and Amazon Bedrock's InvokeModelWithResponseStream (bedrock-wire.ts): how a
// request is judged, how an error is answered, and how a stream's events are framed. The scripts,
// the events and their faults are the same for both.

import type { ServerResponse } from 'node:http';
import type { IncomingRequest, Verdict } from './judge-request.ts';
import type { SseEvent } from './stream-events.ts';

export interface ApiWire {
  /** Whether the API would accept the request, and if not, its status, error type and message. */
  judge(request: IncomingRequest): Verdict;
  /** Answers with an error before any stream: the script's HTTP error, or a refused request. */
  sendError(
    response: ServerResponse,
    error: { status: number; type: string; message: string },
    requestId: string,
    headers?: Record<string, string>,
  ): void;
  /** What tells a client when to retry a scripted HTTP error (`retryAfterMs`). */
  retryHeaders(retryAfterMs: number): Record<string, string>;
  /** The headers of a streamed answer. */
  streamHeaders(requestId: string): Record<string, string>;
  /** One event, as it goes over the wire. */
  encode(event: SseEvent): Uint8Array;
  /** The bytes that break a stream off with an error (a script's `errorAfterEvents`). */
  streamError(requestId: string): Uint8Array;
}
