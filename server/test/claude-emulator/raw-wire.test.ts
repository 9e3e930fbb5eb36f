// The emulator's bytes and status codes, read with plain fetch instead of the SDK: the SDK is
// forgiving (it skips pings, tolerates framing variants), so the exact wire shape is checked here.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ClaudeEmulator, startClaudeEmulator } from './claude-emulator.ts';
import { API_VERSION, baseParams, MODEL, rawPost } from './emulator-test-kit.ts';

let emulator: ClaudeEmulator;
beforeEach(async () => {
  emulator = await startClaudeEmulator();
});
afterEach(async () => {
  await emulator.close();
});

interface Frame {
  event: string;
  data: Record<string, unknown>;
}

/** Parses an SSE body strictly: every event is exactly `event:` and `data:` and a blank line. */
function parseFrames(text: string): Frame[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((frame) => {
      const lines = frame.split('\n');
      expect(lines).toHaveLength(2);
      const [eventLine = '', dataLine = ''] = lines;
      expect(eventLine).toMatch(/^event: [a-z_]+$/);
      expect(dataLine).toMatch(/^data: \{.*\}$/);
      const event = eventLine.slice('event: '.length);
      const data = JSON.parse(dataLine.slice('data: '.length)) as Record<string, unknown>;
      expect(data.type).toBe(event);
      return { event, data };
    });
}

describe('claude emulator on the wire', () => {
  it('frames every SSE event as event/data/blank line, in the API order', async () => {
    emulator.enqueue({
      kind: 'stream',
      blocks: [
        { type: 'thinking', thinking: 'hmm', signature: 'sig' },
        { type: 'text', text: 'Hi 🎉' },
        { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'é"\n' } },
      ],
      stopReason: 'tool_use',
      usage: { input_tokens: 12, output_tokens: 34 },
      seed: 5,
    });

    const response = await rawPost(emulator, { ...baseParams(), stream: true });
    const frames = parseFrames(await response.text());

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('request-id')).toMatch(/^req_[0-9A-Za-z]{24}$/);
    const names = frames.map((f) => f.event);
    const collapsed = names.filter(
      (name, i) => name !== 'content_block_delta' || names[i - 1] !== name,
    );
    expect(collapsed).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(frames[0]?.data).toEqual({
      type: 'message_start',
      message: {
        id: expect.stringMatching(/^msg_/),
        type: 'message',
        role: 'assistant',
        model: MODEL,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: 12,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 1,
          service_tier: 'standard',
        },
      },
    });
    expect(frames.filter((f) => f.event === 'content_block_start').map((f) => f.data)).toEqual([
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      {
        type: 'content_block_start',
        index: 2,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: {} },
      },
    ]);
    const thinkingDeltas = frames.filter(
      (f) => f.data.index === 0 && f.event === 'content_block_delta',
    );
    expect(thinkingDeltas.at(-1)?.data.delta).toEqual({
      type: 'signature_delta',
      signature: 'sig',
    });
    const toolDeltas = frames
      .filter((f) => f.data.index === 2 && f.event === 'content_block_delta')
      .map((f) => f.data.delta as { type: string; partial_json: string });
    expect(toolDeltas[0]).toEqual({ type: 'input_json_delta', partial_json: '' });
    expect(toolDeltas.map((d) => d.partial_json).join('')).toBe('{"path":"é\\"\\n"}');
    expect(frames.at(-2)?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 34 },
    });
  });

  it('ends the body with an overloaded error event when told to', async () => {
    emulator.enqueue({
      kind: 'stream',
      blocks: [{ type: 'text', text: 'partial answer' }],
      stopReason: 'end_turn',
      errorAfterEvents: 2,
    });

    const frames = parseFrames(
      await (await rawPost(emulator, { ...baseParams(), stream: true })).text(),
    );

    expect(frames.map((f) => f.event)).toEqual(['message_start', 'content_block_start', 'error']);
    expect(frames[2]?.data).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });

  it('accepts x-api-key as well as a Bearer token', async () => {
    emulator.enqueue({ kind: 'stream', blocks: [], stopReason: 'end_turn' });

    const response = await rawPost(emulator, baseParams(), {
      authorization: null,
      'x-api-key': 'sk-test',
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ type: 'message', content: [] });
  });

  it('answers 400 without an anthropic-version header, in the API error shape', async () => {
    const response = await rawPost(emulator, baseParams(), { 'anthropic-version': null });
    const body = (await response.json()) as { request_id: string };

    expect(response.status).toBe(400);
    expect(body).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
      request_id: expect.stringMatching(/^req_/),
    });
    expect(response.headers.get('request-id')).toBe(body.request_id);
  });

  it('answers 404 not_found_error on any other route, and records it', async () => {
    const response = await fetch(`${emulator.url}/v1/models`, {
      headers: { authorization: 'Bearer k', 'anthropic-version': API_VERSION },
    });

    expect(response.status).toBe(404);
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    expect(await response.json()).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
      request_id: expect.stringMatching(/^req_/),
    });
    expect(emulator.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models', status: 404 });
  });

  it('answers 400 to a body that is not JSON', async () => {
    const response = await rawPost(emulator, '{"model": ');

    expect(response.status).toBe(400);
    expect(emulator.requests[0]?.body).toBe('{"model": ');
  });

  it('passes an http-error script through with its retry and extra headers', async () => {
    emulator.enqueue({
      kind: 'http-error',
      status: 429,
      type: 'rate_limit_error',
      message: 'Number of requests has exceeded your rate limit',
      retryAfterMs: 1500,
      headers: { 'x-should-retry': 'true' },
    });

    const response = await rawPost(emulator, baseParams());

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after-ms')).toBe('1500');
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('x-should-retry')).toBe('true');
    expect(await response.json()).toMatchObject({
      error: {
        type: 'rate_limit_error',
        message: 'Number of requests has exceeded your rate limit',
      },
    });
  });

  it('resolves waitForRequest before the request arrives and after', async () => {
    emulator.enqueue({ kind: 'stream', blocks: [], stopReason: 'end_turn' });
    const early = emulator.waitForRequest(1);
    await rawPost(emulator, baseParams());

    expect(await early).toBe(emulator.requests[0]);
    expect(await emulator.waitForRequest(1)).toBe(emulator.requests[0]);
    await emulator.waitForClose(1);
  });
});
