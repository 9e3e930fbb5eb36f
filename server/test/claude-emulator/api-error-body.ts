// The Messages API's error envelope. The SDK reads `error.type` and `error.message` from it
// (core/error.ts), so every non-2xx answer and every `event: error` on that wire must use exactly
// this shape (Bedrock's wire answers with AWS's own, bedrock-wire.ts).

export interface ApiErrorBody {
  type: 'error';
  error: { type: string; message: string };
  request_id: string;
}

export function apiErrorBody(type: string, message: string, requestId: string): ApiErrorBody {
  return { type: 'error', error: { type, message }, request_id: requestId };
}
