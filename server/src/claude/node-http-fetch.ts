import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { nodeBodyResponse } from './node-body-response.ts';
import { NO_PROXY_AT_ALL, type ProxySettings } from './proxy-settings.ts';
import { createTransportAgents } from './transport-agents.ts';

/** Statuses whose responses have no body (the Fetch standard's null body statuses). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * How long a request may go without a byte either way, waiting for headers or mid-body, before it
 * fails with ETIMEDOUT: Node's fetch gives up after the same 300 s. Claude's streams send `ping`
 * events while it thinks, so only a stalled connection gets here; without it a stalled answer
 * would hang until Stop.
 */
const IDLE_TIMEOUT_MS = 300_000;

/**
 * The HTTP transport the Claude SDK clients are given, through their documented `fetch` option.
 * The SDK still builds, signs, retries, times out and parses every request; this only moves its
 * bytes, over `node:http`/`node:https` with kept-alive connections.
 *
 * Why not Node's built-in fetch: with 200 answers streaming at once, the SDK costs a third less
 * CPU per event over this transport, and the server's p99 at 200 conversations fell by half when
 * it switched (docs/performance.md, server/bench/sdk-read.bench.ts).
 *
 * What it supports is what the SDKs send: a URL string or URL, a method, headers, a string or
 * byte body, and an abort signal (which also ends a body being read). Other fetch options
 * (`redirect`, `keepalive`, …) are ignored: redirects are returned, not followed (the APIs do not
 * redirect). A Request object or another kind of body is rejected with a TypeError, which the SDK
 * reports as a connection error, rather than sent wrongly. It uses its own connection pools
 * (transport-agents.ts), so neither `NODE_USE_ENV_PROXY` (Node 22.21 and later) nor an undici
 * global dispatcher applies: the proxy is the one `proxy` names (HTTPS_PROXY and kin, read by
 * the Claude client), and none unless given.
 */
export function createNodeHttpFetch({
  idleTimeoutMs = IDLE_TIMEOUT_MS,
  proxy = NO_PROXY_AT_ALL,
}: {
  /** Tests shorten it. */
  idleTimeoutMs?: number;
  proxy?: ProxySettings;
} = {}): typeof fetch {
  const agentFor = createTransportAgents(proxy);

  return async function nodeHttpFetch(input, init = {}) {
    if (typeof input !== 'string' && !(input instanceof URL)) {
      throw new TypeError('the Claude transport takes a URL, not a Request');
    }
    const url = new URL(input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`the Claude transport cannot fetch ${url.protocol} URLs`);
    }
    const body = requestBody(init.body);
    const method = (init.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    for (const [name, value] of new Headers(init.headers)) headers[name] = value;
    if (body !== null) headers['content-length'] = String(body.byteLength);
    const signal = init.signal ?? undefined;
    signal?.throwIfAborted();

    const client = url.protocol === 'https:' ? https : http;
    return new Promise<Response>((resolve, reject) => {
      const request = client.request(url, { method, headers, agent: agentFor(url) });
      let response: http.IncomingMessage | null = null;
      // As with fetch, an abort rejects the request, or errors a body still being read, with the
      // signal's reason (an AbortError), which is how the SDK tells Stop from a broken stream.
      const abort = () => {
        const reason =
          signal?.reason ?? new DOMException('This operation was aborted', 'AbortError');
        request.destroy(reason);
        response?.destroy(reason);
      };
      signal?.addEventListener('abort', abort, { once: true });
      const settle = () => signal?.removeEventListener('abort', abort);
      request.on('error', (error) => {
        settle();
        reject(error);
      });
      request.on('response', (message) => {
        response = message;
        message.once('close', settle);
        const status = message.statusCode ?? 0;
        const responseHeaders = new Headers();
        const raw = message.rawHeaders;
        for (let i = 0; i + 1 < raw.length; i += 2) responseHeaders.append(raw[i]!, raw[i + 1]!);
        const bodyless = NULL_BODY_STATUSES.has(status) || method === 'HEAD';
        if (bodyless) message.resume();
        // A streamed answer's body stays a Node stream, which the SDK reads more cheaply
        // (node-body-response.ts). Any other body, errors included, is a web stream, as fetch
        // gives it: the SDK cancels an error's body it does not read, which a Node stream's
        // iterator would not do before its first read.
        const streamed =
          status >= 200 &&
          status < 300 &&
          !bodyless &&
          (message.headers['content-type'] ?? '').startsWith('text/event-stream');
        const responseBody =
          bodyless || streamed ? null : (Readable.toWeb(message) as ReadableStream);
        const responseInit = { status, headers: responseHeaders };
        let built: Response;
        try {
          built = new Response(responseBody, {
            ...responseInit,
            statusText: message.statusMessage ?? '',
          });
        } catch {
          // A reason phrase Node accepts but Response does not: it is only words.
          try {
            built = new Response(responseBody, responseInit);
          } catch (error) {
            // A status Response cannot hold (below 200 or above 599): the exchange is unusable.
            message.destroy();
            reject(error);
            return;
          }
        }
        // As fetch's Response has it; the SDKs put it in their logs.
        Object.defineProperty(built, 'url', { value: url.href });
        resolve(streamed ? nodeBodyResponse(message, built) : built);
      });
      // The pool's own timeout (POOLED_IDLE_MS, transport-agents.ts) is on a new socket from the
      // start, so it would also cut a connect slower than 4 s: while the request has the socket,
      // this one applies.
      request.on('socket', (socket) => socket.setTimeout(idleTimeoutMs));
      request.setTimeout(idleTimeoutMs, () => {
        const stalled = Object.assign(
          new Error(`no data from ${url.host} for ${idleTimeoutMs / 1000} s`),
          { code: 'ETIMEDOUT' },
        );
        request.destroy(stalled);
        response?.destroy(stalled);
      });
      request.end(body ?? undefined);
    });
  };
}

function requestBody(body: RequestInit['body']): Uint8Array | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError(
    `the Claude transport sends string or byte bodies, not ${body.constructor?.name ?? typeof body}`,
  );
}
