// The API's error envelope. The SDK reads `error.type` and `error.message` from it
// (core/error.ts), so every non-2xx answer and every `event: error` must use exactly this shape.

export interface ApiErrorBody {
  type: 'error';
  error: { type: string; message: string };
  request_id: string;
}

export function apiErrorBody(type: string, message: string, requestId: string): ApiErrorBody {
  return { type: 'error', error: { type, message }, request_id: requestId };
}
