import type { ConversationContext } from '../conversation-context.ts';
import { oneLine } from './entry-summary.ts';
import type { ContextChange } from './inspection-types.ts';

const shown = (value: unknown) =>
  value === undefined ? 'undefined' : oneLine(JSON.stringify(value) ?? String(value), 160);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

function walk(path: string, before: unknown, after: unknown, out: ContextChange[]) {
  // The fold updates immutably and shares what it did not touch, so most of a context is skipped
  // by reference.
  if (Object.is(before, after)) return;
  if (typeof before === 'string' && typeof after === 'string' && after.startsWith(before)) {
    out.push({
      path,
      change: 'changed',
      before: shown(before),
      after: `… + ${shown(after.slice(before.length))}`,
    });
    return;
  }
  if (!isObject(before) || !isObject(after) || Array.isArray(before) !== Array.isArray(after)) {
    out.push({ path, change: 'changed', before: shown(before), after: shown(after) });
    return;
  }
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    const at = path ? `${path}.${key}` : key;
    if (!(key in after)) out.push({ path: at, change: 'removed', before: shown(before[key]) });
    else if (!(key in before)) out.push({ path: at, change: 'added', after: shown(after[key]) });
    else walk(at, before[key], after[key], out);
  }
}

/**
 * What one entry changed in the context, path by path (`items.3.decision.status`), with the
 * values before and after on one line each. A string that grew (a streamed text) shows what was
 * appended.
 */
export function contextChanges(
  before: ConversationContext,
  after: ConversationContext,
): ContextChange[] {
  const out: ContextChange[] = [];
  walk('', before, after, out);
  return out;
}
