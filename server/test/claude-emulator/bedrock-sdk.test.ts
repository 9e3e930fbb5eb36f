// The emulator's Bedrock wire, as @anthropic-ai/bedrock-sdk experiences it: the route and body the
// SDK sends, both ways it authenticates, the event stream it decodes, and AWS's errors.

import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import { APIError, BadRequestError, type ClientOptions } from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ClaudeEmulator, startClaudeEmulator } from './claude-emulator.ts';
import {
  API_VERSION,
  BEDROCK_MODEL,
  expectedMessage,
  SDK_TRANSPORTS,
} from './emulator-test-kit.ts';
import { textAnswer } from './scripted-response.ts';

// The SDK leaves the `:` of the id as it is in the path.
const STREAM_PATH = `/model/${BEDROCK_MODEL}/invoke-with-response-stream`;
const USAGE = { input_tokens: 9, output_tokens: 4 };
const HELLO = textAnswer('hello from Bedrock, in a few deltas', USAGE);

let emulator: ClaudeEmulator;
beforeEach(async () => {
  emulator = await startClaudeEmulator();
});
afterEach(async () => {
  await emulator.close();
});

describe.each(SDK_TRANSPORTS)('over $name', ({ fetch: transport }) => {
  type BedrockOptions = NonNullable<ConstructorParameters<typeof AnthropicBedrock>[0]>;
  /** What a test changes: the credentials (an API key, or AWS keys), or the retries. */
  interface Overrides {
    apiKey?: string | null;
    awsAccessKey?: string;
    awsSecretKey?: string;
    skipAuth?: boolean;
    maxRetries?: number;
  }
  const bedrock = (overrides: Overrides = {}) =>
    new AnthropicBedrock({
      apiKey: 'test-bedrock-key',
      awsRegion: 'us-east-1',
      baseURL: emulator.url,
      maxRetries: 0,
      fetch: transport as ClientOptions['fetch'],
      ...overrides,
    } as BedrockOptions);
  const ask = (client: AnthropicBedrock, messages = [{ role: 'user' as const, content: 'Hi' }]) =>
    client.messages.stream({ model: BEDROCK_MODEL, max_tokens: 1024, messages }).finalMessage();

  it('streams an answer over Bedrock’s route and event stream, with a Bedrock API key', async () => {
    emulator.enqueue(HELLO);
    const message = await ask(bedrock());
    expect(message).toEqual({
      ...expectedMessage(
        [{ type: 'text', text: 'hello from Bedrock, in a few deltas' }],
        'end_turn',
        USAGE,
      ),
      model: BEDROCK_MODEL,
    });
    const [request] = emulator.requests;
    expect(request).toMatchObject({ method: 'POST', path: STREAM_PATH, status: 200 });
    expect(request?.headers.authorization).toBe('Bearer test-bedrock-key');
    // The model is in the path and the version in the body; neither `model` nor `stream` is sent.
    expect(request?.body).toEqual({
      anthropic_version: API_VERSION,
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Hi' }],
    });
  });

  it('signs with SigV4 when given AWS keys instead', async () => {
    emulator.enqueue(HELLO);
    const client = bedrock({
      apiKey: null,
      awsAccessKey: 'AKIDEXAMPLE',
      awsSecretKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    });
    expect((await ask(client)).content).toEqual([
      { type: 'text', text: 'hello from Bedrock, in a few deltas' },
    ]);
    expect(emulator.requests[0]?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request, /,
    );
  });

  it('refuses a request without credentials as Bedrock does: 403, AWS error type and body', async () => {
    const error = (await ask(bedrock({ apiKey: null, skipAuth: true })).catch(
      (e: unknown) => e,
    )) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(403);
    expect(error.headers?.get('x-amzn-errortype')).toMatch(/^MissingAuthenticationTokenException:/);
    expect(error.error).toEqual({ message: 'Missing Authentication Token' });
    expect(emulator.requests[0]?.violations).toEqual(['Missing Authentication Token']);
  });

  it('answers a tool_use without its tool_result with a 400, as the Messages API would', async () => {
    const error = await ask(bedrock(), [
      { role: 'user', content: 'Write it' },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'write_file', input: {} }],
      },
      { role: 'user', content: 'and?' },
    ] as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as APIError).headers?.get('x-amzn-errortype')).toMatch(/^ValidationException:/);
    expect((error as APIError).error).toEqual({
      message: emulator.requests[0]?.violations[0],
    });
    expect(emulator.requests[0]?.violations[0]).toMatch(/tool_use/);
  });

  it('throttles with a 429 the SDK retries, then streams', async () => {
    emulator.enqueue(
      {
        kind: 'http-error',
        status: 429,
        type: 'rate_limit_error',
        message: 'Too many requests, please wait before trying again.',
        retryAfterMs: 5,
      },
      HELLO,
    );
    const message = await ask(bedrock({ maxRetries: 1 }));
    expect(message.stop_reason).toBe('end_turn');
    expect(emulator.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('breaks a stream off with an exception frame, which the SDK reports as an error event', async () => {
    emulator.enqueue({ ...HELLO, errorAfterEvents: 4 });
    const error = await ask(bedrock()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBeUndefined();
    expect((error as APIError).type).toBe('serviceUnavailableException');
    expect((error as APIError).message).toContain('Bedrock is unable to process your request.');
  });
});

/** A POST to Bedrock's stream route with plain fetch, to send what the SDK never would. */
function rawBedrockPost(body: unknown, authorization = 'Bearer test-bedrock-key') {
  return fetch(`${emulator.url}/model/${BEDROCK_MODEL}/invoke-with-response-stream`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('claude emulator Bedrock refusals', () => {
  const valid = {
    anthropic_version: API_VERSION,
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hi' }],
  };
  it.each([
    [
      '`model` in the body',
      { ...valid, model: BEDROCK_MODEL },
      400,
      'ValidationException',
      'extraneous key [model]',
    ],
    [
      '`stream` in the body',
      { ...valid, stream: true },
      400,
      'ValidationException',
      'extraneous key [stream]',
    ],
    [
      'no anthropic_version',
      { ...valid, anthropic_version: undefined },
      400,
      'ValidationException',
      'required key [anthropic_version]',
    ],
  ])('%s', async (_name, body, status, type, message) => {
    const response = await rawBedrockPost(body);
    expect(response.status).toBe(status);
    expect(response.headers.get('x-amzn-errortype')).toMatch(new RegExp(`^${type}:`));
    expect(((await response.json()) as { message: string }).message).toContain(message);
  });

  it('refuses a SigV4 signature not scoped to the bedrock service', async () => {
    const response = await rawBedrockPost(
      valid,
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^UnrecognizedClientException:/);
    expect(emulator.requests[0]?.violations).toEqual([
      'The security token included in the request is invalid.',
    ]);
  });
});
