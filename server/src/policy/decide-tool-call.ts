import type { PolicyRule } from '@tollgate/machines';
import { globPattern } from './glob-pattern.ts';

/** A call as the policy sees it: the MCP server that runs the tool and the tool's name there. */
export interface PolicyCall {
  /** The configured MCP server; null when no server offers the tool now (it is down, say). */
  server: string | null;
  /** The tool's name on its server (Claude's own name when no server offers it). */
  tool: string;
}

export type PolicyVerdict =
  | { decision: 'approved' | 'denied'; rule: PolicyRule }
  /** Nobody decided: the person is asked (an `ask` rule that matched, when one did). */
  | { decision: 'ask'; rule: PolicyRule | null };

/**
 * The server's one policy step for one call, pure: the rules of POLICY_FILE in their order, the
 * first that matches decides (`deny`, `allow`, or `ask`, which asks the person whatever else
 * would allow it); no rule: the person is asked. Tool annotations (`readOnlyHint`) play no part:
 * they are the tool's own server's claims about itself.
 */
export function decideToolCall(call: PolicyCall, rules: readonly CompiledRule[]): PolicyVerdict {
  for (const compiled of rules) {
    if (!compiled.matches(call)) continue;
    const { rule } = compiled;
    if (rule.effect === 'ask') return { decision: 'ask', rule };
    return { decision: rule.effect === 'deny' ? 'denied' : 'approved', rule };
  }
  return { decision: 'ask', rule: null };
}

export interface CompiledRule {
  rule: PolicyRule;
  matches(call: PolicyCall): boolean;
}

/** The rules with their globs made into matchers once, at start. */
export function compileRules(rules: readonly PolicyRule[]): CompiledRule[] {
  return rules.map((rule) => {
    const server = globPattern(rule.server);
    const tool = globPattern(rule.tool);
    return {
      rule,
      // A rule that names a server by anything but `*` never matches a tool no server offers.
      matches: (call) =>
        (call.server === null ? rule.server === '*' : server.test(call.server)) &&
        tool.test(call.tool),
    };
  });
}
