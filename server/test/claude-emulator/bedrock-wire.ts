// Amazon Bedrock's side of the emulator: InvokeModelWithResponseStream, the route
// @anthropic-ai/bedrock-sdk rewrites a Messages request to (judged in judge-bedrock-request.ts),
// AWS's JSON errors, and AWS's binary event stream, each Messages API event a `chunk` frame whose
// `bytes` are the event's JSON in base64.
//
// Checked against what the SDK sends and decodes (@anthropic-ai/bedrock-sdk 1.1.3: client.ts
// adaptRequest, core/streaming.ts eventStreamToSSEResponse), not against Bedrock itself, which
// no test can reach: claude-wire.md lists no Bedrock facts.

import { EventStreamCodec } from '@smithy/eventstream-codec';
import type { ApiWire } from './api-wire.ts';
import { judgeBedrockRequest } from './judge-bedrock-request.ts';
import { sendJson } from './send-json.ts';
import type { SseEvent } from './stream-events.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const codec = new EventStreamCodec(
  (bytes) => decoder.decode(bytes),
  (text) => encoder.encode(text),
);

/** AWS's name for an error of this status, as its `x-amzn-errortype` header and SDK give it. */
function exceptionFor(status: number): string {
  if (status === 400) return 'ValidationException';
  if (status === 403) return 'AccessDeniedException';
  if (status === 404) return 'ResourceNotFoundException';
  if (status === 429) return 'ThrottlingException';
  if (status === 503) return 'ServiceUnavailableException';
  return 'InternalServerException';
}

function frame(headers: Record<string, string>, body: unknown): Uint8Array {
  return codec.encode({
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, { type: 'string', value }]),
    ),
    body: encoder.encode(JSON.stringify(body)),
  });
}

export const bedrockWire: ApiWire = {
  judge: judgeBedrockRequest,
  sendError(response, { status, type, message }, requestId, headers = {}) {
    const exception = type.endsWith('Exception') ? type : exceptionFor(status);
    sendJson(
      response,
      status,
      { message },
      {
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': `${exception}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
        ...headers,
      },
    );
  },
  // Bedrock's throttling says nothing of when to retry: the SDK falls back to its own backoff.
  retryHeaders: () => ({}),
  streamHeaders: (requestId) => ({
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-requestid': requestId,
    'x-amzn-bedrock-content-type': 'application/json',
  }),
  encode: (event: SseEvent) =>
    frame(
      { ':event-type': 'chunk', ':content-type': 'application/json', ':message-type': 'event' },
      { bytes: Buffer.from(JSON.stringify(event.data)).toString('base64') },
    ),
  // A script's `errorAfterEvents` on this wire: the exception Bedrock sends when it gives up on
  // a stream, which the SDK turns into an `error` event of that type.
  streamError: () =>
    frame(
      {
        ':exception-type': 'serviceUnavailableException',
        ':content-type': 'application/json',
        ':message-type': 'exception',
      },
      { message: 'Bedrock is unable to process your request.' },
    ),
};
