import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { TransportTap } from './tapped-transport.ts';

// The hub marks each tools/call with its own id in `_meta` so the tap can tell which call the
// SDK's progress token belongs to, without relying on when the SDK writes to the transport.
// The marker is removed before the request leaves: servers never see it.
const CALL_MARKER = 'dev.tollgate/call';

type Id = string | number;

interface Route {
  listener: ProgressListener;
  sdkEveryMs: number;
}

/**
 * How often the SDK still sees a routed call's progress, at most: often enough to restart the
 * call's timeout (see `sdkProgressEvery`), rarely enough that a file streaming in thousands of
 * chunks does not go through the SDK's schema checks for each one (a third of the server's work
 * per chunk).
 */
export const SDK_PROGRESS_EVERY_MS = 1_000;

/** The interval for a call with this timeout: a tenth of it, and no more than a second. */
export const sdkProgressEvery = (callTimeoutMs: number) =>
  Math.min(SDK_PROGRESS_EVERY_MS, callTimeoutMs / 10);

/** Receives a call's progress notification params, in transport order. */
export type ProgressListener = (params: Record<string, unknown>) => void;

export interface TappedCall {
  /** Goes into the tools/call request's `_meta`. */
  meta: Record<string, string>;
  /** Stops delivery; called when the call ends however it ends. */
  release(): void;
}

export interface ProgressTap extends TransportTap {
  /** `sdkEveryMs`: the least time between two of the call's notifications shown to the SDK. */
  register(listener: ProgressListener, sdkEveryMs?: number): TappedCall;
}

/**
 * Routes each progress notification to its call the moment the transport reads it, and stops
 * routing a call's progress once its response has been read: whatever came before the response
 * has then been delivered, and nothing after it belongs to the call any more. A routed
 * notification reaches the SDK's Protocol at most once per `SDK_PROGRESS_EVERY_MS` per call.
 */
export function createProgressTap(now: () => number = () => performance.now()): ProgressTap {
  let nextCall = 0;
  const byCall = new Map<string, Route>();
  const byToken = new Map<Id, Route>();
  const tokenByRequest = new Map<Id, Id>();
  /** When the SDK last saw each routed token's progress. */
  const shownToSdk = new Map<Id, number>();

  const forgetRequest = (requestId: Id) => {
    const token = tokenByRequest.get(requestId);
    tokenByRequest.delete(requestId);
    if (token !== undefined) {
      byToken.delete(token);
      shownToSdk.delete(token);
    }
  };

  return {
    register(listener, sdkEveryMs = SDK_PROGRESS_EVERY_MS) {
      nextCall += 1;
      const callId = String(nextCall);
      const route = { listener, sdkEveryMs };
      byCall.set(callId, route);
      return {
        meta: { [CALL_MARKER]: callId },
        release() {
          byCall.delete(callId);
          for (const [token, r] of byToken) {
            if (r !== route) continue;
            byToken.delete(token);
            shownToSdk.delete(token);
          }
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
      const route = byCall.get(callId);
      byCall.delete(callId);
      const token = meta.progressToken;
      if (route && (typeof token === 'string' || typeof token === 'number')) {
        byToken.set(token, route);
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
        if (!params || (typeof token !== 'string' && typeof token !== 'number')) return true;
        const route = byToken.get(token);
        if (route === undefined) return true;
        route.listener(params);
        // Delivered here; the SDK only needs it now and then, to restart the call's timeout.
        const at = now();
        const last = shownToSdk.get(token);
        if (last !== undefined && at - last < route.sdkEveryMs) return false;
        shownToSdk.set(token, at);
        return true;
      }
      if ('id' in message && !('method' in message) && message.id !== undefined) {
        forgetRequest(message.id);
      }
      return true;
    },
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
