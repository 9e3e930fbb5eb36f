import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ErrorCode } from '@tollgate/machines';
import { CLOSE } from './gateway-limits.ts';
import { originAllowed } from './origin-check.ts';

export interface UpgradePolicy {
  appToken: string | null;
  allowedOrigins: string[];
}

export interface UpgradeRefusal {
  code: Extract<ErrorCode, 'forbidden_origin' | 'unauthorized'>;
  message: string;
  closeCode: number;
  closeReason: string;
}

function tokenMatches(expected: string, given: string | null): boolean {
  if (given === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Why a WebSocket request may not connect (its origin, a missing or wrong token), or null. */
export function upgradeRefusal(
  request: IncomingMessage,
  policy: UpgradePolicy,
): UpgradeRefusal | null {
  if (!originAllowed(request.headers.origin, request.headers.host, policy.allowedOrigins)) {
    return {
      code: 'forbidden_origin',
      message: `Connections from ${request.headers.origin} are not allowed (ALLOWED_ORIGINS).`,
      closeCode: CLOSE.forbiddenOrigin,
      closeReason: 'origin not allowed',
    };
  }
  if (policy.appToken === null) return null;
  const token = new URL(request.url ?? '/', 'http://x').searchParams.get('token');
  if (tokenMatches(policy.appToken, token)) return null;
  return {
    code: 'unauthorized',
    message: 'This Tollgate needs an access token (APP_TOKEN): open the link with ?token=….',
    closeCode: CLOSE.unauthorized,
    closeReason: 'token required',
  };
}
