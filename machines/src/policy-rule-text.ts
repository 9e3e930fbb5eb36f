import type { PolicyRule } from './events/policy-events.ts';

/** A rule of POLICY_FILE in a few words, for the inspector and the Markdown export. */
export function policyRuleText(rule: PolicyRule): string {
  return `rule ${rule.index}: ${rule.effect} ${rule.tool} on ${rule.server}`;
}
