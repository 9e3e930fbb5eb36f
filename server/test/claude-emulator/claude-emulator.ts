// A wire-faithful stand-in for the Anthropic Messages API (POST /v1/messages) that tests start on
// 127.0.0.1 and point the official SDK at (`baseURL` / ANTHROPIC_BASE_URL). It judges requests as
// strictly as the real API, answers valid ones from a script, and records everything it saw. The
// same server answers the Bedrock SDK (ANTHROPIC_BEDROCK_BASE_URL) on Bedrock's route, with
// Bedrock's errors and event stream (bedrock-wire.ts), from the same scripts.
// Test-only: product code never imports it.
//
// Checked against @anthropic-ai/sdk 1.12.0, which sends `Authorization: Bearer <apiKey>` (not
// `x-api-key`, src/client.ts apiKeyAuth) and `anthropic-version: 2026-10-21`
// (src/client.ts buildHeaders). The emulator's tests assert both.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { anthropicWire } from './anthropic-wire.ts';
import { newMessageId, newRequestId } from './api-ids.ts';
import type { ApiWire } from './api-wire.ts';
import { bedrockWire } from './bedrock-wire.ts';
import { Exchange } from './exchange.ts';
import { IndexedSignals } from './indexed-signals.ts';
import { isBedrockPath } from './judge-bedrock-request.ts';
import { parseBody, type Verdict } from './judge-request.ts';
import { estimateInputTokens } from './message-usage.ts';
import type { ScriptedResponse } from './scripted-response.ts';
import { sendJson } from './send-json.ts';
import { stampClock } from './stamp-deltas.ts';
import { buildMessage, buildStreamEvents } from './stream-events.ts';
import { writeEventStream } from './write-event-stream.ts';

export type {
  HttpErrorScript,
  ScriptBlock,
  ScriptedResponse,
  StreamScript,
} from './scripted-response.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /** what the emulator answered */
  status: number;
  /** why it answered 400/401/404, empty if accepted */
  violations: string[];
  /** the client closed the connection before the response ended */
  clientAborted: boolean;
  /** which TCP connection brought it, numbered from 1 in the order they opened: a client that keeps
   * connections alive sends later requests over earlier numbers */
  connection: number;
  /** When its body had arrived whole (stampClock: epoch ms, comparable across the benchmarks' processes) */
  receivedAt: number;
}

export interface ClaudeEmulator {
  /** e.g. http://127.0.0.1:PORT (use as ANTHROPIC_BASE_URL / baseURL) */
  url: string;
  /** consumed in order, one per *valid* request */
  enqueue(...responses: ScriptedResponse[]): void;
  requests: RecordedRequest[];
  /** resume held streams (and let in-flight streams that have not reached their hold pass it) */
  release(): void;
  /** resolves when the n-th request (1-based) has been received */
  waitForRequest(n: number): Promise<RecordedRequest>;
  /** resolves when request n's connection is closed (by either side) */
  waitForClose(n: number): Promise<void>;
  close(): Promise<void>;
}

export const NO_SCRIPT_MESSAGE = 'emulator: no scripted response queued';

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(', ') : (value ?? ''),
    ]),
  );
}

function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // A client that gives up while still uploading never made a request worth recording.
    request.on('error', () => resolve(null));
    request.on('aborted', () => resolve(null));
  });
}

function statusFor(verdict: Verdict, script: ScriptedResponse | undefined): number {
  if (!verdict.accepted) return verdict.status;
  if (script === undefined) return 500;
  return script.kind === 'http-error' ? script.status : 200;
}

async function answer(
  exchange: Exchange,
  wire: ApiWire,
  verdict: Verdict,
  script: ScriptedResponse | undefined,
  requestId: string,
): Promise<void> {
  const { response } = exchange;
  if (!verdict.accepted) {
    const [message = 'invalid request'] = verdict.violations;
    wire.sendError(
      response,
      { status: verdict.status, type: verdict.errorType, message },
      requestId,
    );
    return;
  }
  if (script === undefined) {
    // `x-should-retry: false` stops the SDK from retrying the 500, so the test fails at once.
    wire.sendError(
      response,
      { status: 500, type: 'api_error', message: NO_SCRIPT_MESSAGE },
      requestId,
      { 'x-should-retry': 'false' },
    );
    return;
  }
  if (script.kind === 'http-error') {
    const retryHeaders =
      script.retryAfterMs === undefined ? {} : wire.retryHeaders(script.retryAfterMs);
    wire.sendError(response, script, requestId, { ...retryHeaders, ...script.headers });
    return;
  }
  const context = {
    messageId: newMessageId(),
    model: String(verdict.body.model),
    defaultInputTokens: estimateInputTokens(verdict.body),
  };
  if (!verdict.stream) {
    sendJson(response, 200, buildMessage(script, context), { 'request-id': requestId });
    return;
  }
  await writeEventStream(exchange, wire, buildStreamEvents(script, context), script, requestId);
}

export async function startClaudeEmulator(): Promise<ClaudeEmulator> {
  const queue: ScriptedResponse[] = [];
  const requests: RecordedRequest[] = [];
  const received = new IndexedSignals<RecordedRequest>();
  const closed = new IndexedSignals<undefined>();
  const open = new Set<Exchange>();

  const connections = new WeakMap<Socket, number>();
  let opened = 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const exchange = new Exchange(response);
    open.add(exchange);
    void exchange.closed.then(() => open.delete(exchange));
    const rawBody = await readBody(request);
    if (rawBody === null) return;
    const receivedAt = stampClock();

    const requestId = newRequestId();
    const headers = flattenHeaders(request.headers);
    const method = request.method ?? '';
    const path = request.url ?? '';
    const wire = isBedrockPath(path) ? bedrockWire : anthropicWire;
    const verdict = wire.judge({ method, url: path, headers, rawBody });
    // Only a request the API would accept consumes a script, as only it would reach the model.
    const script = verdict.accepted ? queue.shift() : undefined;
    const record: RecordedRequest = {
      method,
      path,
      headers,
      body: parseBody(rawBody).value,
      status: statusFor(verdict, script),
      violations: verdict.accepted ? [] : verdict.violations,
      clientAborted: false,
      connection: connectionOf(request.socket),
      receivedAt,
    };
    requests.push(record);
    const n = requests.length;
    void exchange.closed.then(() => {
      record.clientAborted = exchange.clientAborted;
      closed.fire(n, undefined);
    });
    received.fire(n, record);
    await answer(exchange, wire, verdict, script, requestId);
  }

  function connectionOf(socket: Socket): number {
    let number = connections.get(socket);
    if (number === undefined) {
      number = ++opened;
      connections.set(socket, number);
    }
    return number;
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A bug in the emulator must not look like an API answer: drop the connection loudly.
      console.error('claude-emulator: handler failed', error);
      response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...responses) => {
      queue.push(...responses);
    },
    release: () => {
      for (const exchange of open) exchange.release();
    },
    waitForRequest: (n) => received.wait(n),
    waitForClose: (n) => closed.wait(n),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const exchange of open) exchange.shutDown();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
