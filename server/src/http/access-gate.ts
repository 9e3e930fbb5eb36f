import type { IncomingMessage } from 'node:http';
import { MAX_OWNER_LENGTH } from '../store/store-validation.ts';
import { ACCESS_COOKIE, accessCookie, clearedAccessCookie, cookieValues } from './access-cookie.ts';
import type { Person } from './access-person.ts';
import { parseTrustedProxies } from './access-proxies.ts';
import type { AccessSettings } from './access-settings.ts';
import { cookieSecret, sameSecret } from './access-token.ts';

/**
 * Who a request is, or why it may not come in: `token`, no valid APP_TOKEN (or cookie);
 * `person`, a trusted proxy sent no usable TRUSTED_USER_HEADER.
 */
export type AccessVerdict =
  | { allowed: true; person: Person | null }
  | { allowed: false; why: 'token' | 'person' };

export type GateSettings = Pick<
  AccessSettings,
  'appToken' | 'trustedProxies' | 'trustedUserHeader'
>;

/** The first value of a header a proxy may have sent more than once (joined with commas). */
function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(',')[0]?.trim();
}

/**
 * The person a header names. Node reads header bytes as Latin-1; a proxy sends UTF-8, so a name
 * like José is decoded back when its bytes are valid UTF-8. Empty or over the store's limit: none.
 */
function personFrom(header: string | string[] | undefined): Person | null {
  const raw = Array.isArray(header) ? header.join(', ') : header;
  if (raw === undefined) return null;
  const utf8 = Buffer.from(raw, 'latin1').toString('utf8');
  const name = (utf8.includes('\uFFFD') ? raw : utf8).trim();
  return name.length > 0 && name.length <= MAX_OWNER_LENGTH ? { name } : null;
}

/**
 * Access in one place, for the HTTP routes (access-http.ts) and the WebSocket upgrade
 * (gateway/upgrade-refusal.ts) alike:
 *
 * - From a TRUSTED_PROXIES address with TRUSTED_USER_HEADER set, the header names the person and
 *   the proxy's word is the authentication: no token is asked. Without the header: refused.
 * - From anywhere else the header is ignored. With APP_TOKEN, the access cookie (or, where the
 *   caller allows it, `?token=`) is needed; the request is then the single owner, as without
 *   APP_TOKEN.
 */
export function createAccessGate(settings: GateSettings) {
  const parsed = parseTrustedProxies(settings.trustedProxies);
  // The settings were checked at start-up (access-settings.ts); this only guards other callers.
  if (parsed.problems.length > 0) throw new Error(parsed.problems.join(' '));
  const { proxies } = parsed;
  const { appToken, trustedUserHeader } = settings;
  const cookieValue = appToken === null ? null : cookieSecret(appToken);
  const fromProxy = (request: IncomingMessage) => proxies.trusts(request.socket.remoteAddress);

  /** HTTPS to the browser: TLS on this socket, or a trusted proxy says it terminated it. */
  const overHttps = (request: IncomingMessage) =>
    (request.socket as { encrypted?: boolean }).encrypted === true ||
    (fromProxy(request) && firstValue(request.headers['x-forwarded-proto']) === 'https');

  return {
    /** Whether a token is configured at all. */
    tokenRequired: appToken !== null,
    /** Whether `given` is APP_TOKEN (constant time); false when there is none. */
    tokenMatches: (given: string | null) => appToken !== null && sameSecret(appToken, given),
    judge(request: IncomingMessage, { queryToken = false } = {}): AccessVerdict {
      if (trustedUserHeader !== null && fromProxy(request)) {
        const person = personFrom(request.headers[trustedUserHeader]);
        return person ? { allowed: true, person } : { allowed: false, why: 'person' };
      }
      if (appToken === null || cookieValue === null) return { allowed: true, person: null };
      const cookies = cookieValues(request.headers.cookie, ACCESS_COOKIE);
      // Every cookie is compared, so how many there are and which one matched do not show.
      let allowed = cookies.map((value) => sameSecret(cookieValue, value)).includes(true);
      if (queryToken) {
        const token = new URL(request.url ?? '/', 'http://x').searchParams.get('token');
        allowed = sameSecret(appToken, token) || allowed;
      }
      return allowed ? { allowed: true, person: null } : { allowed: false, why: 'token' };
    },
    /** The Set-Cookie value that lets this browser in from now on. */
    grant: (request: IncomingMessage) =>
      accessCookie(cookieValue ?? '', { secure: overHttps(request) }),
    /** The Set-Cookie value that signs this browser out. */
    revoke: (request: IncomingMessage) => clearedAccessCookie({ secure: overHttps(request) }),
  };
}

export type AccessGate = ReturnType<typeof createAccessGate>;
