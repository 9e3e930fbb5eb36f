import type { IncomingMessage } from 'node:http';
import type { ErrorCode } from '@tollgate/machines';
import type { AccessGate } from '../http/access-gate.ts';
import type { Person } from '../http/access-person.ts';
import { CLOSE } from './gateway-limits.ts';
import { originAllowed } from './origin-check.ts';

export interface UpgradePolicy {
  /** The same gate as the HTTP routes' (http/access-gate.ts). */
  access: AccessGate;
  allowedOrigins: string[];
}

export interface UpgradeRefusal {
  code: Extract<ErrorCode, 'forbidden_origin' | 'unauthorized'>;
  message: string;
  closeCode: number;
  closeReason: string;
}

export type UpgradeVerdict =
  | { allowed: true; person: Person | null }
  | { allowed: false; refusal: UpgradeRefusal };

/**
 * Whether a WebSocket request may connect, and as whom: its origin, then the access gate. The
 * access cookie lets it in, and so does `?token=` in the socket's URL: the page sent it there
 * before the cookie existed, and a script has no cookie to send.
 */
export function judgeUpgrade(request: IncomingMessage, policy: UpgradePolicy): UpgradeVerdict {
  if (!originAllowed(request.headers.origin, request.headers.host, policy.allowedOrigins)) {
    return {
      allowed: false,
      refusal: {
        code: 'forbidden_origin',
        message: `Connections from ${request.headers.origin} are not allowed (ALLOWED_ORIGINS).`,
        closeCode: CLOSE.forbiddenOrigin,
        closeReason: 'origin not allowed',
      },
    };
  }
  const verdict = policy.access.judge(request, { queryToken: true });
  if (verdict.allowed) return verdict;
  return {
    allowed: false,
    refusal:
      verdict.why === 'token'
        ? {
            code: 'unauthorized',
            message:
              'This Tollgate needs an access token (APP_TOKEN): open the link with ?token=… once, and this browser keeps it.',
            closeCode: CLOSE.unauthorized,
            closeReason: 'token required',
          }
        : {
            code: 'unauthorized',
            message:
              'The sign-in service in front of this Tollgate did not say who you are: sign in through it again.',
            closeCode: CLOSE.unauthorized,
            closeReason: 'person required',
          },
  };
}
