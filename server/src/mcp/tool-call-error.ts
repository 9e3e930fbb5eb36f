import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

export type ToolCallFailure =
  | 'unknown_tool'
  | 'unavailable'
  | 'cancelled'
  | 'timeout'
  | 'connection_closed'
  | 'chunks_lost'
  | 'invalid_reply'
  | 'refused';

/** A tool call that could not run or finish; `message` is meant for the person (and Claude). */
export class ToolCallError extends Error {
  override name = 'ToolCallError';

  constructor(
    readonly kind: ToolCallFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface CallContext {
  server: string;
  tool: string;
  /** Aborted by the caller: whatever the SDK then rejects with, the call was cancelled. */
  cancelled: boolean;
  timeoutMs: number;
}

/**
 * The SDK validates what a server sends against MCP's schemas and rejects with the zod error
 * (named `ZodError` or `$ZodError` depending on the zod flavour): it has `issues`.
 */
export function isSchemaError(error: unknown): boolean {
  return error instanceof Error && Array.isArray((error as { issues?: unknown }).issues);
}

/** Turns whatever `Client.callTool` rejected with into a human ToolCallError. */
export function describeCallFailure(error: unknown, call: CallContext): ToolCallError {
  if (error instanceof ToolCallError) return error;
  const { server, tool } = call;
  if (call.cancelled) {
    return new ToolCallError('cancelled', `${tool} was cancelled before it finished.`, {
      cause: error,
    });
  }
  if (error instanceof McpError) {
    switch (error.code) {
      case ErrorCode.RequestTimeout:
        return new ToolCallError(
          'timeout',
          `${tool} on the ${server} server timed out: no answer or progress for ${duration(call.timeoutMs)}.`,
          { cause: error },
        );
      case ErrorCode.ConnectionClosed:
        return new ToolCallError(
          'connection_closed',
          `The ${server} server closed the connection while ${tool} was running (it may have crashed).`,
          { cause: error },
        );
      default:
        return new ToolCallError(
          'refused',
          `The ${server} server refused ${tool}: ${error.message}`,
          { cause: error },
        );
    }
  }
  if (isSchemaError(error)) {
    return new ToolCallError(
      'invalid_reply',
      `The ${server} server sent a malformed result for ${tool}.`,
      { cause: error },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ToolCallError(
    'unavailable',
    `Could not reach the ${server} server to run ${tool}: ${reason}`,
    { cause: error },
  );
}

function duration(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 1_000)} s`;
}
