import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether `given` is the secret, in constant time: both sides are hashed first, so the
 * comparison always runs over 32 bytes and neither the secret's length nor a matching prefix
 * shows in the timing.
 */
export function sameSecret(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(digest(expected), digest(given));
}

/**
 * What the access cookie holds: derived from APP_TOKEN, not the token itself, so a browser's
 * cookie store does not hand out a secret someone may use elsewhere too. Changing APP_TOKEN
 * ends every cookie.
 */
export function cookieSecret(appToken: string): string {
  return createHmac('sha256', appToken).update('tollgate access cookie, v1').digest('base64url');
}
