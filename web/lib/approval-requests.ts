import {
  type ConversationContext,
  currentAssistantItem,
  pendingToolCalls,
  type ToolCallItem,
  type ToolGrantInfo,
  type ToolInfo,
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

/**
 * Whether the server decides every call of this tool without asking (docs/policies.md): an
 * `allow` or `deny` rule of POLICY_FILE, or, when no rule matches it, a grant of the person's
 * "Always allow everywhere" for this tool of this server.
 */
/** Whether a rule of POLICY_FILE (`allow` or `deny`) decides every call of this tool. */
export function decidedByRule(tool: ToolInfo | undefined): boolean {
  return tool?.policy === 'allow' || tool?.policy === 'deny';
}

export function decidedWithoutAsking(
  tool: ToolInfo | undefined,
  grants: readonly ToolGrantInfo[],
): boolean {
  if (tool === undefined) return false;
  if (decidedByRule(tool)) return true;
  if (tool.policy === 'ask') return false;
  // Only grants everywhere: a conversation's "Always allow" is in that conversation's context.
  return grants.some(
    (grant) =>
      grant.scope === 'everywhere' && grant.toolName === tool.name && grant.server === tool.server,
  );
}

/**
 * `decidedByServer`: whether the server decides every call of a tool without asking (a rule or a
 * grant: `decidedWithoutAsking`): such a call opens no dialog while Claude writes it. Once the
 * turn is complete, the server's decisions come with it, so a call still pending was left to the
 * person: it is hidden only when a rule decides its tool (`decidedByRule`; the rules cannot change
 * while the server runs, but a grant revoked from another instance may not have reached this tab).
 */
export function approvalRequests(
  state: string,
  context: ConversationContext,
  decidedByServer: (toolName: string) => boolean = () => false,
  decidedByRule: (toolName: string) => boolean = () => false,
): ApprovalRequest[] {
  if (state === 'streaming') {
    const item = currentAssistantItem(context);
    return (item?.blocks ?? []).flatMap((block): ApprovalRequest[] =>
      block.type === 'tool_use' &&
      !context.alwaysAllowed.includes(block.name) &&
      !decidedByServer(block.name)
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
  const pending = pendingToolCalls(context).filter((call) => !decidedByRule(call.name));
  const first = pending[0];
  if (state !== 'awaitingApproval' || first === undefined) return [];
  return context.items.flatMap((item): ApprovalRequest[] =>
    item.kind === 'tool' && item.turn === first.turn ? [{ kind: 'call', call: item }] : [],
  );
}
