import type {
  Transport,
  TransportSendOptions,
} from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';

/** Sees every message in transport order, before the SDK's Protocol does. */
export interface TransportTap {
  /** May return a rewritten message (e.g. without a hub-private marker). */
  sent(message: JSONRPCMessage): JSONRPCMessage;
  /** Returns whether the SDK should still see the message (false: the tap has handled it). */
  received(message: JSONRPCMessage): boolean;
}

/**
 * A transport that passes everything through to `inner`, showing each message to `tap` first.
 *
 * Why: the SDK's Protocol handles a response synchronously but dispatches notifications on a
 * later microtask, and deletes a request's progress handler when its response arrives. Progress
 * notifications that arrive in the same read as the response are then dropped
 * (modelcontextprotocol/typescript-sdk#2580). The tap runs synchronously inside the inner
 * transport's `onmessage`, so it sees the notifications before the response, in order.
 */
export class TappedTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;

  constructor(
    private readonly inner: Transport,
    private readonly tap: TransportTap,
  ) {}

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  async start(): Promise<void> {
    this.inner.onmessage = (message, extra) => {
      let forward = true;
      try {
        forward = this.tap.received(message);
      } catch (error) {
        // A tap bug must never cost the SDK a message.
        this.onerror?.(error instanceof Error ? error : new Error(String(error)));
      }
      if (forward) this.onmessage?.(message, extra);
    };
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (error) => this.onerror?.(error);
    await this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return this.inner.send(this.tap.sent(message), options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
