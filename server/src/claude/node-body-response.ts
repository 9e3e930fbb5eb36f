import type { IncomingMessage } from 'node:http';
import { arrayBuffer, blob, json, text } from 'node:stream/consumers';

/**
 * A Response whose body is the Node stream itself, not a web ReadableStream over it: how the
 * transport (node-http-fetch.ts) hands the SDK a streamed answer (a 2xx `text/event-stream`).
 *
 * The SDK reads a streamed body as an async iterable, and takes a Node stream as readily as a web
 * stream (its `ReadableStreamToAsyncIterable` uses the body's own `Symbol.asyncIterator` when it
 * has one); the web stream `Readable.toWeb` would put in between only costs CPU at every event
 * (docs/performance.md, server/bench/sdk-read.bench.ts). The body reads whole like any
 * Response's (`text()`, `json()`, `arrayBuffer()`, `blob()`), once: as with fetch, a body already
 * read, or cancelled, is refused with a TypeError. `clone()` and `getReader()` are not offered;
 * nothing the SDKs do without middleware calls them. A reader that stops early ends the exchange
 * through the request's abort signal (the SDK's stream aborts it whenever its loop ends before
 * the last event), which destroys this stream: a Node stream's own iterator does not, if it is
 * returned before its first read.
 */
export function nodeBodyResponse(message: IncomingMessage, response: Response): Response {
  const used = () => message.readableDidRead || message.readableEnded || message.destroyed;
  const whole =
    <T>(read: (stream: IncomingMessage) => Promise<T>) =>
    (): Promise<T> =>
      used() ? Promise.reject(new TypeError('the response body was already read')) : read(message);
  Object.defineProperties(response, {
    body: { value: message },
    bodyUsed: { get: used },
    text: { value: whole(text) },
    json: { value: whole(json) },
    arrayBuffer: { value: whole(arrayBuffer) },
    blob: { value: whole(blob) },
    clone: {
      value: () => {
        throw new TypeError('the Claude transport does not clone a streamed response');
      },
    },
  });
  return response;
}
