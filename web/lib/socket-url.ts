/**
 * Where the page finds the WebSocket: `/ws` on its own origin. Never with a token in it: the
 * access cookie the server set goes with the handshake (docs/access.md).
 */
export function socketUrl(location: { protocol: string; host: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}
