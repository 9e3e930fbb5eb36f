import { readFile } from 'node:fs/promises';
import type { PolicyRule } from '@tollgate/machines';
import { z } from 'zod';
import { StartupError } from '../startup-error.ts';

// POLICY_FILE: rules that decide tool calls before anyone is asked (docs/policies.md).
//
//   { "rules": [
//       { "effect": "deny", "server": "tollgate-files", "tool": "delete_*", "reason": "…" },
//       { "effect": "allow", "tool": "read_*" },
//       { "effect": "ask", "server": "github" } ] }
//
// The first rule that matches a call decides it; a call no rule matches is left to the grants and
// then to the person.

const pattern = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((value) => !/\p{Cc}/u.test(value), 'must not contain control characters');

const ruleSchema = z
  .object({
    effect: z.enum(['allow', 'deny', 'ask'], {
      error: 'must be "allow", "deny" or "ask"',
    }),
    server: pattern.optional(),
    tool: pattern.optional(),
    reason: z.string().max(500, 'must be at most 500 characters').optional(),
  })
  .strict()
  .refine((rule) => rule.server !== undefined || rule.tool !== undefined, {
    message: 'names neither a "server" nor a "tool": write "*" to match every tool on purpose',
  });

const fileSchema = z.object({ rules: z.array(ruleSchema).max(1_000) }).strict();

/** Every problem of a policy file's content, `at rules[2].effect: …`; empty when it is valid. */
export function parsePolicyRules(
  json: unknown,
): { ok: true; rules: PolicyRule[] } | { ok: false; problems: string[] } {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const at = issue.path
          .map((key, i) =>
            typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`,
          )
          .join('');
        const message =
          issue.code === 'unrecognized_keys'
            ? `unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${issue.keys.map((key) => `"${key}"`).join(', ')} (a rule has effect, server, tool and reason)`
            : issue.message;
        return at ? `at ${at}: ${message}` : message;
      }),
    };
  }
  return {
    ok: true,
    rules: parsed.data.rules.map((rule, i) => ({
      index: i + 1,
      effect: rule.effect,
      server: rule.server ?? '*',
      tool: rule.tool ?? '*',
      ...(rule.reason !== undefined ? { reason: rule.reason } : {}),
    })),
  };
}

/** Reads POLICY_FILE at start; a file that cannot be used stops the start, saying why. */
export async function readPolicyFile(path: string): Promise<PolicyRule[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StartupError(
      `POLICY_FILE ${path} cannot be read: ${code === 'ENOENT' ? 'it does not exist' : String(error)}.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StartupError(`POLICY_FILE ${path} is not valid JSON: ${(error as Error).message}.`);
  }
  const result = parsePolicyRules(json);
  if (!result.ok) {
    throw new StartupError(
      `POLICY_FILE ${path} has ${result.problems.length === 1 ? 'a problem' : `${result.problems.length} problems`}:\n${result.problems.map((problem) => `    - ${problem}`).join('\n')}`,
    );
  }
  return result.rules;
}
