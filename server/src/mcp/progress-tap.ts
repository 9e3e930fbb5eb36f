import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { TransportTap } from './tapped-transport.ts';

// The hub marks each tools/call with its own id in `_meta` so the tap can tell which call the
// SDK's progress token belongs to, without relying on when the SDK writes to the transport.
// The marker is removed before the request leaves: servers never see it.
const CALL_MARKER = 'dev.tollgate/call';

type Id = string | number;

/** Receives a call's progress notification params, in transport order. */
export type ProgressListener = (params: Record<string, unknown>) => void;

export interface TappedCall {
  /** Goes into the tools/call request's `_meta`. */
  meta: Record<string, string>;
  /** Stops delivery; called when the call ends however it ends. */
  release(): void;
}

export interface ProgressTap extends TransportTap {
  register(listener: ProgressListener): TappedCall;
}

/**
 * Routes each progress notification to its call the moment the transport reads it, and stops
 * routing a call's progress once its response has been read: whatever came before the response
 * has then been delivered, and nothing after it belongs to the call any more.
 */
export function createProgressTap(): ProgressTap {
  let nextCall = 0;
  const byCall = new Map<string, ProgressListener>();
  const byToken = new Map<Id, ProgressListener>();
  const tokenByRequest = new Map<Id, Id>();

  const forgetRequest = (requestId: Id) => {
    const token = tokenByRequest.get(requestId);
    tokenByRequest.delete(requestId);
    if (token !== undefined) byToken.delete(token);
  };

  return {
    register(listener) {
      nextCall += 1;
      const callId = String(nextCall);
      byCall.set(callId, listener);
      return {
        meta: { [CALL_MARKER]: callId },
        release() {
          byCall.delete(callId);
          for (const [token, l] of byToken) if (l === listener) byToken.delete(token);
          for (const [request, token] of tokenByRequest) {
            if (!byToken.has(token)) tokenByRequest.delete(request);
          }
        },
      };
    },

    sent(message) {
      if (!('method' in message) || message.method !== 'tools/call' || !('id' in message)) {
        return message;
      }
      const meta = record(record(message.params)?._meta);
      const callId = meta?.[CALL_MARKER];
      if (meta === undefined || typeof callId !== 'string') return message;
      const listener = byCall.get(callId);
      byCall.delete(callId);
      const token = meta.progressToken;
      if (listener && (typeof token === 'string' || typeof token === 'number')) {
        byToken.set(token, listener);
        tokenByRequest.set(message.id, token);
      }
      const { [CALL_MARKER]: _marker, ...rest } = meta;
      return { ...message, params: { ...message.params, _meta: rest } } as JSONRPCMessage;
    },

    received(message) {
      if (
        'method' in message &&
        message.method === 'notifications/progress' &&
        !('id' in message)
      ) {
        const params = record(message.params);
        const token = params?.progressToken;
        if (params && (typeof token === 'string' || typeof token === 'number')) {
          byToken.get(token)?.(params);
        }
        return;
      }
      if ('id' in message && !('method' in message) && message.id !== undefined) {
        forgetRequest(message.id);
      }
    },
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
