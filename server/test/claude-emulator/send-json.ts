// A complete JSON answer (errors and non-streaming messages) with the headers the caller gives:
// on the Messages API's wire, the `request-id` the SDK copies into `error.requestID` and
// `message._request_id`.

import type { ServerResponse } from 'node:http';

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}
