import {
  type ConversationContext,
  currentAssistantItem,
  pendingToolCalls,
  type ToolCallItem,
} from '@tollgate/machines';
import { parsePartialJson } from './partial-json.ts';

// What the approval dialog lists, read from the mirrored machine. It opens as soon as Claude starts
// writing a call that will need a decision (so the person can watch the file being composed) and
// lists every call of the turn, each with its own decision, until the machine stops waiting.

export type ApprovalRequest =
  | {
      kind: 'composing';
      toolUseId: string;
      name: string;
      /** As much of the arguments as has streamed in. */
      input: Record<string, unknown>;
    }
  | { kind: 'call'; call: ToolCallItem };

const asObject = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

export function approvalRequests(state: string, context: ConversationContext): ApprovalRequest[] {
  if (state === 'streaming') {
    const item = currentAssistantItem(context);
    return (item?.blocks ?? []).flatMap((block): ApprovalRequest[] =>
      block.type === 'tool_use' && !context.alwaysAllowed.includes(block.name)
        ? [
            {
              kind: 'composing',
              toolUseId: block.id,
              name: block.name,
              input: block.input ?? asObject(parsePartialJson(block.partialJson)),
            },
          ]
        : [],
    );
  }
  const pending = pendingToolCalls(context);
  const first = pending[0];
  if (state !== 'awaitingApproval' || first === undefined) return [];
  return context.items.flatMap((item): ApprovalRequest[] =>
    item.kind === 'tool' && item.turn === first.turn ? [{ kind: 'call', call: item }] : [],
  );
}
