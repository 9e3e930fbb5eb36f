// Ids shaped like the API's (`req_…`, `msg_…`: a prefix and base62 characters), so code that
// logs, stores or pattern-matches them sees what production would send.

import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(length: number): string {
  return [...randomBytes(length)].map((byte) => BASE62[byte % BASE62.length]).join('');
}

export function newRequestId(): string {
  return `req_${base62(24)}`;
}

export function newMessageId(): string {
  return `msg_${base62(24)}`;
}
