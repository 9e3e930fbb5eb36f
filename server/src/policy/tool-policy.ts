import { type PolicyRule, policyRuleText, type ToolPolicyDecidedEvent } from '@tollgate/machines';
import type { ToolCatalogEntry } from '../mcp/tool-catalog.ts';
import type { ToolGrant } from '../store/tool-grants.ts';
import { compileRules, decideToolCall } from './decide-tool-call.ts';

type ToolPlace = Pick<ToolCatalogEntry, 'claudeName' | 'server' | 'mcpName'>;
/** A person's "Always allow everywhere" as the policy reads it (store/tool-grants.ts). */
type GrantOf = Pick<ToolGrant, 'id' | 'toolName' | 'server' | 'conversationId' | 'seq'>;

/**
 * The runtime's `policy` (conversation-runtime.ts): of the calls waiting for a decision, the
 * ones a rule of POLICY_FILE or a person's grant decides, as the facts that record it. A call is matched by the MCP
 * server that offers its tool now and the tool's name there.
 */
export function createToolPolicy(rules: readonly PolicyRule[], tools: () => readonly ToolPlace[]) {
  const compiled = compileRules(rules);
  /** What the first matching rule says of a tool, for the page (hello's `tools`); null: none. */
  const effectFor = (tool: ToolPlace): 'allow' | 'deny' | 'ask' | null =>
    decideToolCall({ server: tool.server, tool: tool.mcpName }, compiled).rule?.effect ?? null;
  /**
   * Pure, given the person's grants: for each call, the rules first (the first that matches
   * decides; an `ask` rule asks whatever a grant says), then the person's grant of that tool of
   * that server, then nobody: the person is asked.
   */
  const decide = (
    calls: readonly { toolUseId: string; name: string }[],
    grants: readonly GrantOf[] = [],
  ): ToolPolicyDecidedEvent[] => {
    if (compiled.length === 0 && grants.length === 0) return [];
    const byClaudeName = new Map(tools().map((tool) => [tool.claudeName, tool]));
    return calls.flatMap((call): ToolPolicyDecidedEvent[] => {
      const tool = byClaudeName.get(call.name);
      const verdict = decideToolCall(
        tool ? { server: tool.server, tool: tool.mcpName } : { server: null, tool: call.name },
        compiled,
      );
      if (verdict.decision === 'ask') {
        const grant =
          verdict.rule === null && tool
            ? grants.find((g) => g.toolName === call.name && g.server === tool.server)
            : undefined;
        if (!grant) return [];
        return [
          {
            type: 'tool.policy_decided',
            toolUseId: call.toolUseId,
            decision: 'approved',
            grant: { id: grant.id, conversationId: grant.conversationId, seq: grant.seq },
          },
        ];
      }
      return [
        {
          type: 'tool.policy_decided',
          toolUseId: call.toolUseId,
          decision: verdict.decision,
          rule: verdict.rule,
        },
      ];
    });
  };
  /** The tool actor's last check (tool-actor.ts): a deny rule stops any call of the tool. */
  const refuse = (tool: ToolPlace): string | null => {
    const verdict = decideToolCall({ server: tool.server, tool: tool.mcpName }, compiled);
    if (verdict.decision !== 'denied') return null;
    return `A rule of this server's tool policy denies ${tool.mcpName} on ${tool.server} (${policyRuleText(verdict.rule)}), so it did not run.${verdict.rule.reason ? ` The rule says: "${verdict.rule.reason}".` : ''}`;
  };
  return { decide, effectFor, refuse };
}
