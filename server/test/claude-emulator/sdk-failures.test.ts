// The emulator's refusals and faults, as the official SDK experiences them: HTTP errors with its
// retry policy, requests the real API would reject, and streams that fail after the 200.

import type Anthropic from '@anthropic-ai/sdk';
import type { ClientOptions } from '@anthropic-ai/sdk';
import {
  AnthropicError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  OverloadedError,
} from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ClaudeEmulator,
  NO_SCRIPT_MESSAGE,
  type ScriptedResponse,
  startClaudeEmulator,
} from './claude-emulator.ts';
import { baseParams, expectedMessage, SDK_TRANSPORTS, sdkClient } from './emulator-test-kit.ts';
import { textAnswer } from './scripted-response.ts';

let emulator: ClaudeEmulator;
beforeEach(async () => {
  emulator = await startClaudeEmulator();
});
afterEach(async () => {
  await emulator.close();
});

const USAGE = { input_tokens: 9, output_tokens: 4 };
const HELLO = textAnswer('hello', USAGE);
const HELLO_MESSAGE = expectedMessage([{ type: 'text', text: 'hello' }], 'end_turn', USAGE);

/** A long text, so that a fault after a few events leaves most of the stream unsent. */
const LONG_TEXT: ScriptedResponse = {
  kind: 'stream',
  blocks: [{ type: 'text', text: 'a long answer that arrives in many small deltas '.repeat(4) }],
  stopReason: 'end_turn',
};

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

describe.each(SDK_TRANSPORTS)('over $name', ({ fetch: transport }) => {
  const sdk = (options: ClientOptions = {}) =>
    sdkClient(emulator, { fetch: transport, ...options });

  describe('claude emulator HTTP errors, read by @anthropic-ai/sdk', () => {
    it('honours retry-after-ms on a 429, and the SDK retries into the next script', async () => {
      const retryAfterMs = 700; // above the SDK's first default backoff (at most 500 ms)
      emulator.enqueue(
        {
          kind: 'http-error',
          status: 429,
          type: 'rate_limit_error',
          message: 'Slow down',
          retryAfterMs,
        },
        HELLO,
      );
      const finished = sdk({ maxRetries: 2 }).messages.stream(baseParams()).finalMessage();
      await emulator.waitForRequest(1);
      const firstAt = Date.now();
      await emulator.waitForRequest(2);
      const waited = Date.now() - firstAt;

      expect(await finished).toEqual(HELLO_MESSAGE);
      expect(waited).toBeGreaterThanOrEqual(retryAfterMs - 50);
      expect(emulator.requests.map((r) => r.status)).toEqual([429, 200]);
      expect(emulator.requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual([
        '0',
        '1',
      ]);
    });

    it('gives up after three 529s with an OverloadedError', async () => {
      const overloaded: ScriptedResponse = {
        kind: 'http-error',
        status: 529,
        type: 'overloaded_error',
        message: 'Overloaded',
        retryAfterMs: 1,
      };
      emulator.enqueue(overloaded, overloaded, overloaded);

      const error = await rejectionOf(
        sdk({ maxRetries: 2 }).messages.stream(baseParams()).finalMessage(),
      );

      expect(error).toBeInstanceOf(OverloadedError);
      expect(error).toMatchObject({
        status: 529,
        type: 'overloaded_error',
        apiMessage: 'Overloaded',
      });
      expect((error as APIError).requestID).toMatch(/^req_/);
      expect(emulator.requests.map((r) => r.status)).toEqual([529, 529, 529]);
    });

    it('answers 401 without credentials, and does not consume the script', async () => {
      emulator.enqueue(HELLO);
      // `null` removes the SDK's Authorization header (src/internal/headers.ts buildHeaders).
      const anonymous = sdk({ defaultHeaders: { Authorization: null } });

      const error = await rejectionOf(anonymous.messages.stream(baseParams()).finalMessage());

      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ status: 401, type: 'authentication_error' });
      expect(emulator.requests[0]).toMatchObject({ status: 401, violations: [expect.any(String)] });
      expect(await sdk().messages.stream(baseParams()).finalMessage()).toEqual(HELLO_MESSAGE);
    });

    it('answers 400 when a tool_use is not answered by a tool_result', async () => {
      emulator.enqueue(HELLO);
      const params = baseParams({
        messages: [
          { role: 'user', content: 'Write the file' },
          {
            role: 'assistant',
            content: [
              { type: 'tool_use', id: 'toolu_open', name: 'write_file', input: { path: 'x' } },
            ],
          },
          { role: 'user', content: 'Never mind' },
        ],
      });

      const error = await rejectionOf(sdk().messages.stream(params).finalMessage());

      expect(error).toBeInstanceOf(BadRequestError);
      const phrase = '`tool_use` ids were found without `tool_result` blocks immediately after';
      expect((error as APIError).message).toContain(phrase);
      expect((error as APIError).apiMessage).toContain(phrase);
      expect((error as APIError).apiMessage).toContain('toolu_open');
      expect(emulator.requests[0]?.violations[0]).toContain(phrase);
      // The rejected request did not use up the script.
      expect(await sdk().messages.stream(baseParams()).finalMessage()).toEqual(HELLO_MESSAGE);
    });

    it('answers 400 to temperature, which anthropic-version 2026-10-21 no longer accepts', async () => {
      // The SDK's own types no longer have `temperature`; a stale caller could still send it.
      const params = { ...baseParams(), temperature: 1 } as Anthropic.MessageStreamParams;

      const error = await rejectionOf(sdk().messages.stream(params).finalMessage());

      expect(error).toBeInstanceOf(BadRequestError);
      expect(error).toMatchObject({ status: 400, type: 'invalid_request_error' });
      expect((error as APIError).apiMessage).toMatch(/^temperature: /);
    });

    it('answers 404 not_found_error to a retired model', async () => {
      const params = baseParams({ model: 'claude-3-7-sonnet-20250219' });

      const error = await rejectionOf(sdk().messages.stream(params).finalMessage());

      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({
        status: 404,
        type: 'not_found_error',
        apiMessage: 'model: claude-3-7-sonnet-20250219',
      });
    });

    it('fails loudly, without SDK retries, when no script is queued', async () => {
      const error = await rejectionOf(
        sdk({ maxRetries: 2 }).messages.stream(baseParams()).finalMessage(),
      );

      expect(error).toBeInstanceOf(InternalServerError);
      expect(error).toMatchObject({ status: 500, apiMessage: NO_SCRIPT_MESSAGE });
      expect(emulator.requests).toHaveLength(1);
    });
  });

  describe('claude emulator stream faults, read by @anthropic-ai/sdk', () => {
    it('sends an overloaded error event mid-stream, and the SDK rejects without retrying', async () => {
      emulator.enqueue({ ...LONG_TEXT, errorAfterEvents: 5 });
      const stream = sdk({ maxRetries: 2 }).messages.stream(baseParams());
      const texts: string[] = [];
      stream.on('text', (delta) => texts.push(delta));

      const error = await rejectionOf(stream.finalMessage());

      expect(error).toBeInstanceOf(APIError);
      expect(error).toMatchObject({ status: undefined, type: 'overloaded_error' });
      expect((error as APIError).message).toContain('Overloaded');
      expect(texts).toHaveLength(2); // message_start, block start, ping, two deltas, then the error
      expect(emulator.requests).toHaveLength(1);
    });

    it('cuts the connection mid-stream: the SDK rejects and the close is observed', async () => {
      emulator.enqueue({ ...LONG_TEXT, cutAfterEvents: 4 });
      const stream = sdk({ maxRetries: 2 }).messages.stream(baseParams());

      const error = await rejectionOf(stream.finalMessage());
      await emulator.waitForClose(1);

      expect(error).toBeInstanceOf(AnthropicError);
      expect(error).not.toBeInstanceOf(APIUserAbortError);
      expect(emulator.requests).toHaveLength(1);
      expect(emulator.requests[0]).toMatchObject({ status: 200, clientAborted: false });
    });

    it('holds a stream until the client aborts, and records the abort', async () => {
      emulator.enqueue({ ...LONG_TEXT, holdAfterEvents: 3 });
      const abort = new AbortController();
      const stream = sdk().messages.stream(baseParams(), { signal: abort.signal });
      const blockStarted = new Promise<void>((resolve) =>
        stream.on('streamEvent', (event) => event.type === 'content_block_start' && resolve()),
      );
      await blockStarted;

      abort.abort();

      expect(await rejectionOf(stream.finalMessage())).toBeInstanceOf(APIUserAbortError);
      await emulator.waitForClose(1);
      expect(emulator.requests[0]?.clientAborted).toBe(true);
    });

    it('holds a stream until release(), then finishes it', async () => {
      const text = 'held, then released';
      emulator.enqueue({
        kind: 'stream',
        blocks: [{ type: 'text', text }],
        stopReason: 'end_turn',
        usage: USAGE,
        holdAfterEvents: 3,
      });
      const stream = sdk().messages.stream(baseParams());
      const texts: string[] = [];
      stream.on('text', (delta) => texts.push(delta));
      const blockStarted = new Promise<void>((resolve) =>
        stream.on('streamEvent', (event) => event.type === 'content_block_start' && resolve()),
      );
      await blockStarted;
      // A full round trip to the same server: had the stream not been held, its remaining events
      // would have been written before this answer and read by the SDK by now.
      await (await fetch(`${emulator.url}/barrier`)).text();
      expect(texts).toEqual([]);
      expect(stream.currentMessage?.content).toEqual([{ type: 'text', text: '' }]);

      emulator.release();

      expect(await stream.finalMessage()).toEqual(
        expectedMessage([{ type: 'text', text }], 'end_turn', USAGE),
      );
      await emulator.waitForClose(1);
      expect(emulator.requests[0]?.clientAborted).toBe(false);
    });
  });
});
