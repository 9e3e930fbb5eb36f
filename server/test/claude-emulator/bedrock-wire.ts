// Amazon Bedrock's side of the emulator: the InvokeModelWithResponseStream route that
// @anthropic-ai/bedrock-sdk rewrites a Messages request to (POST /model/{modelId}/
// invoke-with-response-stream, the model in the path and `anthropic_version` in the body, neither
// `model` nor `stream`), AWS's JSON errors, and AWS's binary event stream, each Messages API event
// a `chunk` frame whose `bytes` are the event's JSON in base64.
//
// Checked against what the SDK sends and decodes (@anthropic-ai/bedrock-sdk 1.1.3: client.ts
// adaptRequest, core/streaming.ts eventStreamToSSEResponse), not against Bedrock itself, which
// no test can reach: claude-wire.md lists no Bedrock facts. The SigV4 signature is checked for
// its form (credential scope of the `bedrock` service), not recomputed.

import { EventStreamCodec } from '@smithy/eventstream-codec';
import type { ApiWire } from './api-wire.ts';
import type { IncomingRequest, Verdict } from './judge-request.ts';
import { parseBody } from './judge-request.ts';
import { requestBodyViolations } from './request-body-rules.ts';
import { sendJson } from './send-json.ts';
import type { SseEvent } from './stream-events.ts';

const STREAM_ROUTE = /^\/model\/([^/]+)\/invoke-with-response-stream$/;
const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=[^/\s]+\/\d{8}\/[a-z0-9-]+\/bedrock\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const codec = new EventStreamCodec(
  (bytes) => decoder.decode(bytes),
  (text) => encoder.encode(text),
);

/** True for the paths Bedrock's runtime answers (`/model/…`), which this wire judges. */
export function isBedrockPath(path: string): boolean {
  return path.startsWith('/model/');
}

/** AWS's name for an error of this status, as its `x-amzn-errortype` header and SDK give it. */
function exceptionFor(status: number): string {
  if (status === 400) return 'ValidationException';
  if (status === 403) return 'AccessDeniedException';
  if (status === 404) return 'ResourceNotFoundException';
  if (status === 429) return 'ThrottlingException';
  if (status === 503 || status === 529) return 'ServiceUnavailableException';
  return 'InternalServerException';
}

function reject(status: number, errorType: string, message: string): Verdict {
  return { accepted: false, status, errorType, violations: [message] };
}

function judgeBedrockRequest(request: IncomingRequest): Verdict {
  const path = new URL(request.url, 'http://emulator.invalid').pathname;
  const route = STREAM_ROUTE.exec(path);
  if (request.method !== 'POST' || !route?.[1]) {
    return reject(404, 'UnknownOperationException', `emulator: no Bedrock operation at ${path}`);
  }
  const authorization = request.headers.authorization ?? '';
  if (!authorization) return reject(403, 'AccessDeniedException', 'Missing Authentication Token');
  if (!/^Bearer\s+\S/.test(authorization) && !SIGV4.test(authorization)) {
    return reject(
      403,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  }
  const parsed = parseBody(request.rawBody);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) {
    return reject(
      400,
      'ValidationException',
      'Malformed input request, please reformat your input and try again.',
    );
  }
  const {
    anthropic_version: version,
    anthropic_beta: _beta,
    ...rest
  } = parsed.value as Record<string, unknown>;
  for (const key of ['model', 'stream']) {
    if (key in rest) {
      return reject(
        400,
        'ValidationException',
        `Malformed input request: extraneous key [${key}] is not permitted, please reformat your input and try again.`,
      );
    }
  }
  if (typeof version !== 'string' || version === '') {
    return reject(
      400,
      'ValidationException',
      'Malformed input request: required key [anthropic_version] not found, please reformat your input and try again.',
    );
  }
  const model = decodeURIComponent(route[1]);
  const [violation] = requestBodyViolations({ ...rest, model, stream: true }, { beta: false });
  if (violation) return reject(400, 'ValidationException', violation);
  return { accepted: true, body: { ...rest, model }, stream: true };
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
