import type { IncomingMessage } from 'node:http';
import { arrayBuffer, json, text } from 'node:stream/consumers';

/**
 * A Response whose body is the Node stream itself, not a web ReadableStream over it: how the
 * transport (node-http-fetch.ts) hands the SDK a streamed answer (`text/event-stream`).
 *
 * The SDK reads a streamed body as an async iterable, and takes a Node stream as readily as a web
 * stream (its `ReadableStreamToAsyncIterable` uses the body's own `Symbol.asyncIterator` when it
 * has one). The web stream that `Readable.toWeb` puts in between cost about 2.5 µs of CPU more per
 * SSE event, of 30–47 µs in all, with 200 answers streaming at once (sdk-read.bench.ts, rounds
 * alternating with the transport before; docs/performance.md). Reading the body whole (`text()`,
 * `json()`, `arrayBuffer()`) works as on any Response; `clone()` and `getReader()` are not
 * offered, and nothing the SDKs do without middleware calls them.
 */
export function nodeBodyResponse(message: IncomingMessage, response: Response): Response {
  Object.defineProperties(response, {
    body: { value: message },
    bodyUsed: { get: () => message.readableDidRead },
    text: { value: () => text(message) },
    json: { value: () => json(message) },
    arrayBuffer: { value: () => arrayBuffer(message) },
    clone: {
      value: () => {
        throw new TypeError('the Claude transport does not clone a streamed response');
      },
    },
  });
  return response;
}
