// Decides, before any script is consumed, whether the real API would accept a request, and if not
// with which status, error type and message. The checks run in the order the API applies them:
// route, authentication, version header, body shape, then model lookup.

import { requestBodyViolations } from './request-body-rules.ts';
import { isRetiredModel } from './retired-models.ts';

export interface IncomingRequest {
  method: string;
  /** path and query, as node:http gives it */
  url: string;
  headers: Record<string, string>;
  rawBody: string;
}

export type Verdict =
  | { accepted: true; body: Record<string, unknown>; stream: boolean }
  | { accepted: false; status: number; errorType: string; violations: string[] };

const MESSAGES_PATH = '/v1/messages';

/** A refusal: the status, the API's error type, and every reason, the first of which it names. */
export function reject(status: number, errorType: string, violations: string[]): Verdict {
  return { accepted: false, status, errorType, violations };
}

function authViolation(headers: Record<string, string>): string | null {
  if (headers['x-api-key']) return null;
  const authorization = headers.authorization;
  if (authorization) return /^Bearer\s+\S/i.test(authorization) ? null : 'Invalid bearer token';
  return 'x-api-key header is required';
}

/** The body as the emulator records it: parsed JSON, or the raw text when it is not JSON. */
export function parseBody(
  rawBody: string,
): { ok: true; value: unknown } | { ok: false; value: string } {
  try {
    return { ok: true, value: JSON.parse(rawBody) };
  } catch {
    return { ok: false, value: rawBody };
  }
}

export function judgeRequest(request: IncomingRequest): Verdict {
  const url = new URL(request.url, 'http://emulator.invalid');
  if (request.method !== 'POST' || url.pathname !== MESSAGES_PATH) {
    return reject(404, 'not_found_error', [`Not found: ${request.method} ${url.pathname}`]);
  }
  const auth = authViolation(request.headers);
  if (auth) return reject(401, 'authentication_error', [auth]);
  if (!request.headers['anthropic-version']) {
    return reject(400, 'invalid_request_error', ['anthropic-version: header is required']);
  }
  const parsed = parseBody(request.rawBody);
  if (!parsed.ok) {
    return reject(400, 'invalid_request_error', [
      'There was an error parsing the body of your request: it is not valid JSON',
    ]);
  }
  const violations = requestBodyViolations(parsed.value, {
    beta: url.searchParams.get('beta') === 'true',
  });
  if (violations.length > 0) return reject(400, 'invalid_request_error', violations);
  const body = parsed.value as Record<string, unknown>;
  const model = body.model as string;
  if (isRetiredModel(model)) return reject(404, 'not_found_error', [`model: ${model}`]);
  return { accepted: true, body, stream: body.stream === true };
}
