// Shared pieces of the emulator's own tests: an SDK client aimed at the emulator, a minimal valid
// request, the Message the SDK should assemble, and a raw POST for wire-level checks.

import Anthropic, { type ClientOptions } from '@anthropic-ai/sdk';
import { expect } from 'vitest';
import { createNodeHttpFetch } from '../../src/claude/node-http-fetch.ts';
import type { ClaudeEmulator } from './claude-emulator.ts';

export const MODEL = 'claude-sonnet-5-5';
/** A Bedrock inference-profile id, as CLAUDE_MODEL takes it with CLAUDE_PROVIDER=bedrock. */
export const BEDROCK_MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
export const API_VERSION = '2026-10-21';

/**
 * The SDK's own transport (the platform's fetch) and the one the server gives it: the SDK must
 * read the emulator, faults included, the same way through both.
 */
export const SDK_TRANSPORTS: { name: string; fetch: ClientOptions['fetch'] }[] = [
  { name: "the SDK's default fetch", fetch: undefined },
  { name: "the server's node:http transport", fetch: createNodeHttpFetch() },
];

export function sdkClient(emulator: ClaudeEmulator, options: ClientOptions = {}): Anthropic {
  return new Anthropic({ apiKey: 'test-key', baseURL: emulator.url, maxRetries: 0, ...options });
}

export function baseParams(
  overrides: Partial<Anthropic.MessageCreateParamsNonStreaming> = {},
): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model: MODEL,
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hello' }],
    ...overrides,
  };
}

interface ExpectedUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

/** The Message `stream.finalMessage()` should resolve to. */
export function expectedMessage(
  content: unknown[],
  stopReason: string,
  usage: ExpectedUsage,
): Record<string, unknown> {
  return {
    id: expect.stringMatching(/^msg_[0-9A-Za-z]{24}$/),
    type: 'message',
    role: 'assistant',
    model: MODEL,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      service_tier: 'standard',
      ...usage,
    },
    parsed_output: null,
  };
}

/**
 * A POST to /v1/messages with plain fetch and the headers the SDK would send; `overrides` replace
 * them, and a `null` override leaves that header out.
 */
export function rawPost(
  emulator: ClaudeEmulator,
  body: unknown,
  overrides: Record<string, string | null> = {},
): Promise<Response> {
  const headers = Object.entries({
    authorization: 'Bearer test-key',
    'anthropic-version': API_VERSION,
    'content-type': 'application/json',
    ...overrides,
  }).filter((entry): entry is [string, string] => entry[1] !== null);
  return fetch(`${emulator.url}/v1/messages`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
