import { AnthropicError, APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { AssistantFailureKind } from '@tollgate/machines';

export interface ClaudeFailure {
  kind: AssistantFailureKind;
  message: string;
  retryable: boolean;
  /** The API's request id, for the logs. */
  requestId: string | null;
  status: number | null;
}

/**
 * How Bedrock refuses a credential (the type in its `x-amzn-errortype` header): with a 403, which
 * on the Anthropic API means a key that may not use a model, so the status alone cannot tell.
 */
const AWS_CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'MissingAuthenticationTokenException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'ExpiredTokenException',
]);

function awsErrorType(error: APIError): string | null {
  return error.headers?.get('x-amzn-errortype')?.split(':')[0] ?? null;
}

/** The API's own words: the Messages API's `error.message`, or AWS's top-level `message`. */
function apiMessageOf(error: APIError): string {
  const awsMessage = (error.error as { message?: unknown } | undefined)?.message;
  return error.apiMessage ?? (typeof awsMessage === 'string' ? awsMessage : error.message);
}

/** True when the stream ended because we aborted it (Stop): not a failure to show. */
export function isAbort(error: unknown): boolean {
  return (
    error instanceof APIUserAbortError || (error instanceof Error && error.name === 'AbortError')
  );
}

function fromStatus(
  status: number,
  apiMessage: string,
): Omit<ClaudeFailure, 'requestId' | 'status'> {
  if (status === 401) {
    return {
      kind: 'authentication',
      message: `Claude rejected the credentials (401: ${apiMessage}). Check ANTHROPIC_API_KEY, or for Bedrock AWS_BEARER_TOKEN_BEDROCK or your AWS credentials, and restart.`,
      retryable: false,
    };
  }
  if (status === 403) {
    return {
      kind: 'permission',
      message: `This key may not use this model or feature (403: ${apiMessage}).`,
      retryable: false,
    };
  }
  if (status === 404) {
    return {
      kind: 'not_found',
      message: `Claude could not find the model (404: ${apiMessage}). It may be retired or not enabled for this account: set CLAUDE_MODEL.`,
      retryable: false,
    };
  }
  if (status === 429) {
    return {
      kind: 'rate_limit',
      message: `Claude's rate limit was reached and the retries did not get through (429: ${apiMessage}). Wait a moment, then retry.`,
      retryable: true,
    };
  }
  if (status === 529) {
    return {
      kind: 'overloaded',
      message: `Claude is overloaded right now and the retries did not get through (529). Retry in a moment.`,
      retryable: true,
    };
  }
  if (status >= 500) {
    return {
      kind: 'server',
      message: `Claude's service had an error (${status}: ${apiMessage}). Retry in a moment.`,
      retryable: true,
    };
  }
  if (status === 413) {
    return {
      kind: 'invalid_request',
      message: `The conversation is too large for one request (413). Start a new conversation.`,
      retryable: false,
    };
  }
  return {
    kind: 'invalid_request',
    message: `Claude refused the request (${status}: ${apiMessage}). This is a bug in Tollgate; it has been logged.`,
    retryable: false,
  };
}

/** Turns whatever the SDK threw into what the person reads and whether a retry can help. */
export function describeClaudeError(error: unknown): ClaudeFailure {
  // The Bedrock SDK found no AWS credentials anywhere in the chain: nothing was sent, and the
  // network is not to blame, though the SDK reports it as a connection error.
  if (
    error instanceof APIConnectionError &&
    error.cause instanceof Error &&
    error.cause.name === 'CredentialsProviderError'
  ) {
    return {
      kind: 'authentication',
      message: `No AWS credentials were found for Bedrock (${error.message}). Set AWS_BEARER_TOKEN_BEDROCK, or AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO or an instance role), and restart.`,
      retryable: false,
      requestId: null,
      status: null,
    };
  }
  if (error instanceof APIConnectionError) {
    return {
      kind: 'connection',
      message: `Could not reach Claude (${error.message}). Check the network, then retry.`,
      retryable: true,
      requestId: null,
      status: null,
    };
  }
  if (error instanceof APIError) {
    const apiMessage = apiMessageOf(error);
    // Bedrock answers with its own request id header, which the SDK does not read.
    const requestId = error.requestID ?? error.headers?.get('x-amzn-requestid') ?? null;
    if (AWS_CREDENTIAL_ERRORS.has(awsErrorType(error) ?? '')) {
      return {
        kind: 'authentication',
        message: `Bedrock rejected the AWS credentials (${error.status}: ${apiMessage}). Check AWS_BEARER_TOKEN_BEDROCK or your AWS credentials, and restart.`,
        retryable: false,
        requestId,
        status: error.status ?? null,
      };
    }
    if (error.status === undefined) {
      // An `error` event after the 200: the stream was cut by the API, never retried by the SDK.
      const overloaded = error.type === 'overloaded_error';
      return {
        kind: overloaded ? 'overloaded' : 'stream',
        message: overloaded
          ? 'Claude became overloaded mid-answer; the partial answer is kept. Retry in a moment.'
          : `Claude's answer broke off with an error (${apiMessage}); the partial answer is kept. Retry to ask again.`,
        retryable: true,
        requestId,
        status: null,
      };
    }
    return { ...fromStatus(error.status, apiMessage), requestId, status: error.status };
  }
  if (error instanceof AnthropicError) {
    // The SDK's words for a connection that ended before message_stop.
    return {
      kind: 'stream',
      message: `The connection to Claude ended before the answer was complete (${error.message}); the partial answer is kept. Retry to ask again.`,
      retryable: true,
      requestId: null,
      status: null,
    };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT') {
    // The transport's socket closed, or stalled past its idle timeout, under a body still being
    // read (node-http-fetch.ts).
    return {
      kind: 'stream',
      message: `The connection to Claude broke off before the answer was complete (${code}); the partial answer is kept. Retry to ask again.`,
      retryable: true,
      requestId: null,
      status: null,
    };
  }
  return {
    kind: 'stream',
    message: `Claude's answer could not be read (${error instanceof Error ? error.message : String(error)}). Retry to ask again.`,
    retryable: true,
    requestId: null,
    status: null,
  };
}
