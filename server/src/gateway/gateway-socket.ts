/**
 * One message as it arrived. Its size is known before anything decodes it, so a message over the
 * limit can be refused without being decoded or parsed.
 */
export interface GatewayFrame {
  /** The payload's size in bytes. */
  readonly byteLength: number;
  /** A binary message: never JSON in this protocol. */
  readonly isBinary: boolean;
  /** The payload decoded as UTF-8. */
  text(): string;
}

/**
 * The little the gateway needs of a connection. A `ws` WebSocket is adapted to it in production
 * (ws-socket-adapter.ts); tests use an in-memory pair, so the gateway's logic runs with no
 * network.
 */
export interface GatewaySocket {
  /** Whether `send` still reaches the client. */
  readonly isOpen: boolean;
  /** Bytes sent but not yet handed to the network: what a client that does not read piles up. */
  readonly bufferedAmount: number;
  /** Sends one text message. */
  send(text: string): void;
  /** Closes with a code and reason the client can read. */
  close(code: number, reason: string): void;
  /** Drops the connection at once, without a closing handshake. */
  terminate(): void;
  ping(): void;
  onMessage(listener: (frame: GatewayFrame) => void): void;
  onPong(listener: () => void): void;
  /** Called once, when the connection has closed for whatever reason. */
  onClose(listener: () => void): void;
}
