// The Anthropic Messages API's side of the emulator (POST /v1/messages): errors as its JSON error
// envelope with a `request-id` header, streams as Server-Sent Events (claude-wire.md).

import { apiErrorBody } from './api-error-body.ts';
import type { ApiWire } from './api-wire.ts';
import { judgeRequest } from './judge-request.ts';
import { sendJson } from './send-json.ts';
import { encodeEvent, type SseEvent } from './stream-events.ts';

const encoder = new TextEncoder();
const encode = (event: SseEvent) => encoder.encode(encodeEvent(event));

export const anthropicWire: ApiWire = {
  judge: judgeRequest,
  sendError(response, { status, type, message }, requestId, headers = {}) {
    sendJson(response, status, apiErrorBody(type, message, requestId), {
      'request-id': requestId,
      ...headers,
    });
  },
  retryHeaders: (retryAfterMs) => ({
    'retry-after-ms': String(retryAfterMs),
    'retry-after': String(Math.ceil(retryAfterMs / 1000)),
  }),
  streamHeaders: (requestId) => ({
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'request-id': requestId,
  }),
  encode,
  streamError(requestId) {
    const overloaded = apiErrorBody('overloaded_error', 'Overloaded', requestId);
    return encode({ event: 'error', data: { type: overloaded.type, error: overloaded.error } });
  },
};
