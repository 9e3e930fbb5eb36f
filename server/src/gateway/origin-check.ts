/**
 * Whether a browser page from `origin` may open the WebSocket: the app's own address (and its
 * localhost spellings), plus ALLOWED_ORIGINS. A missing Origin means a non-browser client, which
 * the access token, not the Origin, has to stop.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: string[],
): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return host !== undefined && url.host === host;
  } catch {
    return false;
  }
}
