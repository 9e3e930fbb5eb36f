// A minimal stand-in for the Messages API for the browser benchmark: each request is answered
// with the next prepared list of SSE events, `delayMs` apart, text deltas stamped with their send
// time just before they are written when the stream asks for it. The Claude emulator cuts tool input into 1–7 character
// deltas, which is right for correctness tests but makes a 1 MB write_file call 250,000 log
// entries; here the input streams in 64 KB pieces, so the benchmark measures the file, not that.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stampTextDelta } from '../test/claude-emulator/stamp-deltas.ts';
import { encodeEvent, type SseEvent } from '../test/claude-emulator/stream-events.ts';

export interface PreparedStream {
  events: SseEvent[];
  delayMs: number;
  /** Replace each text delta's text by its send time (stamp-deltas.ts). */
  stamp?: boolean;
}

const event = (type: string, data: Record<string, unknown> = {}): SseEvent => ({
  event: type,
  data: { type, ...data },
});

function envelope(blocks: SseEvent[], stopReason: string): SseEvent[] {
  return [
    event('message_start', {
      message: {
        id: `msg_bench${Math.random().toString(36).slice(2, 14)}`,
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 1 },
      },
    }),
    ...blocks,
    event('message_delta', {
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: 10 },
    }),
    event('message_stop'),
  ];
}

/** A write_file call whose JSON input arrives in pieces of `pieceChars`. */
export function writeFileCall(id: string, path: string, content: string, pieceChars = 65_536) {
  const json = JSON.stringify({ path, content });
  const pieces: SseEvent[] = [];
  for (let at = 0; at < json.length; at += pieceChars) {
    pieces.push(
      event('content_block_delta', {
        index: 0,
        delta: { type: 'input_json_delta', partial_json: json.slice(at, at + pieceChars) },
      }),
    );
  }
  return envelope(
    [
      event('content_block_start', {
        index: 0,
        content_block: { type: 'tool_use', id, name: 'write_file', input: {} },
      }),
      ...pieces,
      event('content_block_stop', { index: 0 }),
    ],
    'tool_use',
  );
}

/** One text block of a delta per text (each stamped when sent, with `stamp`). */
function textBlock(texts: string[]) {
  return envelope(
    [
      event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ...texts.map((text) =>
        event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
      ),
      event('content_block_stop', { index: 0 }),
    ],
    'end_turn',
  );
}

/**
 * `deltas` text deltas for stamping: each is a word and a space, with a paragraph break every
 * `paragraph` deltas (the stamp, prefixed when sent, makes the word). `paragraph: Infinity` gives
 * one paragraph of a single unbroken line, the hardest text for a page to lay out.
 */
export function stampedText(deltas: number, paragraph: number) {
  return textBlock(
    Array.from({ length: deltas }, (_, i) =>
      paragraph === Number.POSITIVE_INFINITY ? '' : (i + 1) % paragraph === 0 ? '\n\n' : ' ',
    ),
  );
}

/**
 * `deltas` text deltas for stamping, as Claude writes code: a paragraph (the first stamp), then
 * a TypeScript code block whose lines hold `perLine` stamps each (a stamp, then a space or
 * the line's end), closed by the last delta. A highlighter reads each stamp as a number.
 */
export function stampedCode(deltas: number, perLine: number) {
  return textBlock(
    Array.from({ length: deltas }, (_, i) =>
      i === 0 ? '\n\n```ts\n' : i === deltas - 1 ? '\n```\n' : i % perLine === 0 ? '\n' : ' ',
    ),
  );
}

export function plainText(text: string) {
  return envelope(
    [
      event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
      event('content_block_stop', { index: 0 }),
    ],
    'end_turn',
  );
}

export async function startSseResponder() {
  const queue: PreparedStream[] = [];
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function answer(request: IncomingMessage, response: ServerResponse) {
    for await (const _ of request) {
      // The body is not needed: the answers are prepared.
    }
    const next = queue.shift();
    if (next === undefined) {
      response.writeHead(500, { 'content-type': 'application/json', 'x-should-retry': 'false' });
      response.end(
        JSON.stringify({
          type: 'error',
          error: { type: 'api_error', message: 'no answer queued' },
        }),
      );
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_bench' });
    response.flushHeaders();
    for (const [i, item] of next.events.entries()) {
      if (i > 0 && next.delayMs > 0) await sleep(next.delayMs);
      response.write(encodeEvent(next.stamp ? stampTextDelta(item) : item));
    }
    response.end();
  }

  const server = createServer((request, response) => {
    answer(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    enqueue: (...streams: PreparedStream[]) => queue.push(...streams),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
