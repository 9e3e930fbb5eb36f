import { MAX_CLIENT_MESSAGE_BYTES } from '@tollgate/machines';

export interface GatewayLimits {
  /** Larger messages are refused with `too_large`, before they are parsed (the connection stays). */
  maxMessageBytes: number;
  /** Messages per second per connection, and the burst allowed above it. */
  messagesPerSecond: number;
  burst: number;
  /** Bytes queued for a client before it counts as too slow and is disconnected. */
  maxBufferedBytes: number;
  /** How often every connection is pinged; one that has not answered the last ping is dropped. */
  heartbeatMs: number;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  maxMessageBytes: MAX_CLIENT_MESSAGE_BYTES,
  messagesPerSecond: 20,
  burst: 60,
  maxBufferedBytes: 8 * 1024 * 1024,
  heartbeatMs: 15_000,
};

/** WebSocket close codes of our own (4000–4999), so a client knows whether to reconnect. */
export const CLOSE = {
  unauthorized: 4401,
  forbiddenOrigin: 4403,
  slowConsumer: 4008,
  /** The store is unreachable: try again later (the page reconnects with backoff). */
  unavailable: 1013,
} as const;
