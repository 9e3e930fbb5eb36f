/**
 * A random id for commands and requests. crypto.randomUUID exists only in secure contexts, and a
 * self-hosted Tollgate is often opened over plain http on a LAN address; getRandomValues works
 * everywhere.
 */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
