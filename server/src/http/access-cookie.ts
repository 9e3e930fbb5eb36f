/** The cookie that lets a browser in once it opened the link with ?token=. */
export const ACCESS_COOKIE = 'tollgate_access';

/** Thirty days: a phone keeps access for a while; signing out or a new APP_TOKEN ends it sooner. */
const MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/** Every value the Cookie header gives `name` (a browser may send two, from different paths). */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0 || pair.slice(0, at).trim() !== name) continue;
    values.push(pair.slice(at + 1).trim());
  }
  return values;
}

/**
 * The Set-Cookie header value: HttpOnly (no script reads it), SameSite=Strict (no other site's
 * page or form sends it, which also keeps sign-out and the WebSocket from being driven by one),
 * Path=/ (the page, its assets and /ws), Secure when the browser came over HTTPS.
 */
export function accessCookie(value: string, { secure }: { secure: boolean }): string {
  return [
    `${ACCESS_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${MAX_AGE_SECONDS}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/** The Set-Cookie header value that makes the browser drop the access cookie. */
export function clearedAccessCookie({ secure }: { secure: boolean }): string {
  return [
    `${ACCESS_COOKIE}=`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    'Max-Age=0',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
