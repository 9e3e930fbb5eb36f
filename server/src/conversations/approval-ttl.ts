// APPROVAL_TTL: how long a tool call waits for a decision before it expires (docs/approval-flow.md).

const UNITS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** A week: longer than anyone waits on an open dialog, short of any timer arithmetic limit. */
const MAX_MS = 7 * UNITS.d;

export type ApprovalTtlResult = { ok: true; ms: number | null } | { ok: false; problem: string };

/**
 * `90s`, `10m`, `1h`, `1d`, or a number of seconds; unset, empty or 0 (in any unit): approvals
 * never expire (the default).
 */
export function readApprovalTtl(raw: string | undefined): ApprovalTtlResult {
  const text = raw?.trim() ?? '';
  if (text === '' || text === '0') return { ok: true, ms: null };
  const match = /^(\d+)\s*([smhd]?)$/i.exec(text);
  const amount = match ? Number(match[1]) : Number.NaN;
  const unit = (match?.[2]?.toLowerCase() || 's') as keyof typeof UNITS;
  if (amount === 0) return { ok: true, ms: null };
  const ms = amount * UNITS[unit];
  if (!Number.isSafeInteger(ms) || ms < 1_000 || ms > MAX_MS) {
    return {
      ok: false,
      problem: `APPROVAL_TTL="${text}" must be a duration from 1s to 7d such as 90s, 10m or 1h (a bare number is seconds), or 0 or unset for approvals that never expire.`,
    };
  }
  return { ok: true, ms };
}
