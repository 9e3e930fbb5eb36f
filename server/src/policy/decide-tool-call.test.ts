import { describe, expect, it } from 'vitest';
import { compileRules, decideToolCall } from './decide-tool-call.ts';
import { globPattern } from './glob-pattern.ts';
import { parsePolicyRules } from './policy-file.ts';
import { createToolPolicy } from './tool-policy.ts';

function rulesOf(rules: unknown[]) {
  const parsed = parsePolicyRules({ rules });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return compileRules(parsed.rules);
}

describe('globPattern', () => {
  it('matches whole names: * any run, ? one character, the rest literally', () => {
    expect(globPattern('read_*').test('read_file')).toBe(true);
    expect(globPattern('read_*').test('read_')).toBe(true);
    expect(globPattern('read_*').test('unread_file')).toBe(false);
    expect(globPattern('*_file').test('write_file')).toBe(true);
    expect(globPattern('get_?').test('get_a')).toBe(true);
    expect(globPattern('get_?').test('get_ab')).toBe(false);
    expect(globPattern('*').test('')).toBe(true);
  });

  it('takes regular-expression characters as themselves, and case counts', () => {
    expect(globPattern('a.b').test('a.b')).toBe(true);
    expect(globPattern('a.b').test('axb')).toBe(false);
    expect(globPattern('files (v2)+').test('files (v2)+')).toBe(true);
    expect(globPattern('[abc]').test('a')).toBe(false);
    expect(globPattern('Write_File').test('write_file')).toBe(false);
  });
});

describe('decideToolCall', () => {
  const files = { server: 'tollgate-files', tool: 'write_file' };

  it('asks when no rule matches, or there are none', () => {
    expect(decideToolCall(files, [])).toEqual({ decision: 'ask', rule: null });
    expect(decideToolCall(files, rulesOf([{ effect: 'deny', tool: 'delete_*' }]))).toEqual({
      decision: 'ask',
      rule: null,
    });
  });

  it('the first rule that matches decides, in the file order', () => {
    const rules = rulesOf([
      { effect: 'deny', server: 'tollgate-files', tool: 'delete_*', reason: 'No deletes.' },
      { effect: 'ask', server: 'tollgate-files', tool: 'write_*' },
      { effect: 'allow', server: 'tollgate-*' },
      { effect: 'deny', tool: '*' },
    ]);
    expect(decideToolCall({ server: 'tollgate-files', tool: 'delete_file' }, rules)).toMatchObject({
      decision: 'denied',
      rule: { index: 1, effect: 'deny', reason: 'No deletes.' },
    });
    // An ask rule before an allow rule asks, whatever comes later.
    expect(decideToolCall(files, rules)).toMatchObject({ decision: 'ask', rule: { index: 2 } });
    expect(decideToolCall({ server: 'tollgate-files', tool: 'read_file' }, rules)).toMatchObject({
      decision: 'approved',
      rule: { index: 3, server: 'tollgate-*', tool: '*' },
    });
    expect(decideToolCall({ server: 'github', tool: 'read_file' }, rules)).toMatchObject({
      decision: 'denied',
      rule: { index: 4, server: '*', tool: '*' },
    });
  });

  it('matches the server by its configured name, and tools by their name on that server', () => {
    const rules = rulesOf([{ effect: 'allow', server: 'github', tool: 'get_*' }]);
    expect(decideToolCall({ server: 'github', tool: 'get_issue' }, rules).decision).toBe(
      'approved',
    );
    expect(decideToolCall({ server: 'github-enterprise', tool: 'get_issue' }, rules).decision).toBe(
      'ask',
    );
    expect(decideToolCall({ server: 'gitlab', tool: 'get_issue' }, rules).decision).toBe('ask');
  });

  it('a tool no server offers now is matched only by rules for every server', () => {
    const rules = rulesOf([
      { effect: 'allow', server: 'github', tool: '*' },
      { effect: 'deny', tool: 'rm_*' },
    ]);
    expect(decideToolCall({ server: null, tool: 'get_issue' }, rules).decision).toBe('ask');
    expect(decideToolCall({ server: null, tool: 'rm_rf' }, rules).decision).toBe('denied');
  });
});

describe('parsePolicyRules', () => {
  it('numbers the rules from 1 and fills a missing server or tool with *', () => {
    expect(parsePolicyRules({ rules: [{ effect: 'allow', tool: 'read_*' }] })).toEqual({
      ok: true,
      rules: [{ index: 1, effect: 'allow', server: '*', tool: 'read_*' }],
    });
    expect(parsePolicyRules({ rules: [] })).toEqual({ ok: true, rules: [] });
  });

  it('lists every problem, each at its place', () => {
    const result = parsePolicyRules({
      rules: [
        { effect: 'permit', tool: 'x' },
        { effect: 'allow' },
        { effect: 'deny', tool: '', readOnlyHint: true },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      'at rules[0].effect: must be "allow", "deny" or "ask"',
      'at rules[1]: names neither a "server" nor a "tool": write "*" to match every tool on purpose',
      'at rules[2].tool: must not be empty',
      'at rules[2]: unknown key "readOnlyHint" (a rule has effect, server, tool and reason)',
    ]);
  });

  it('wants an object with rules', () => {
    expect(parsePolicyRules([]).ok).toBe(false);
    expect(parsePolicyRules({ rules: [], allow: [] })).toMatchObject({ ok: false });
  });
});

describe('createToolPolicy', () => {
  const tools = [
    { claudeName: 'write_file', server: 'tollgate-files', mcpName: 'write_file' },
    { claudeName: 'github__get_issue', server: 'github', mcpName: 'get_issue' },
  ];
  const parsed = parsePolicyRules({
    rules: [
      { effect: 'deny', server: 'tollgate-files', tool: 'write_*', reason: 'Read-only here.' },
      { effect: 'allow', server: 'github', tool: 'get_*' },
    ],
  });
  if (!parsed.ok) throw new Error('invalid rules');
  const policy = createToolPolicy(parsed.rules, () => tools);

  it('matches a call by its server and its name there, not by the name Claude sees', () => {
    expect(
      policy.decide([
        { toolUseId: 't1', name: 'github__get_issue' },
        { toolUseId: 't2', name: 'write_file' },
        { toolUseId: 't3', name: 'unknown_tool' },
      ]),
    ).toEqual([
      {
        type: 'tool.policy_decided',
        toolUseId: 't1',
        decision: 'approved',
        rule: { index: 2, effect: 'allow', server: 'github', tool: 'get_*' },
      },
      {
        type: 'tool.policy_decided',
        toolUseId: 't2',
        decision: 'denied',
        rule: {
          index: 1,
          effect: 'deny',
          server: 'tollgate-files',
          tool: 'write_*',
          reason: 'Read-only here.',
        },
      },
    ]);
  });

  it("then the person's grants: only for the same tool of the same server, never past a rule", () => {
    const grant = {
      id: 'c0:4',
      toolName: 'github__get_issue',
      server: 'github',
      conversationId: 'c0',
      seq: 4,
    };
    const noRules = createToolPolicy([], () => tools);
    expect(noRules.decide([{ toolUseId: 't1', name: 'github__get_issue' }], [grant])).toEqual([
      {
        type: 'tool.policy_decided',
        toolUseId: 't1',
        decision: 'approved',
        grant: { id: 'c0:4', conversationId: 'c0', seq: 4 },
      },
    ]);
    // A grant of the same name on another server does not apply.
    expect(
      noRules.decide(
        [{ toolUseId: 't1', name: 'github__get_issue' }],
        [{ ...grant, server: 'other' }],
      ),
    ).toEqual([]);
    // A rule that matches decides first, an ask rule included.
    const asks = parsePolicyRules({ rules: [{ effect: 'ask', server: 'github' }] });
    if (!asks.ok) throw new Error('invalid rules');
    expect(
      createToolPolicy(asks.rules, () => tools).decide(
        [{ toolUseId: 't1', name: 'github__get_issue' }],
        [grant],
      ),
    ).toEqual([]);
    const denied = policy.decide(
      [{ toolUseId: 't2', name: 'write_file' }],
      [{ ...grant, toolName: 'write_file', server: 'tollgate-files' }],
    );
    expect(denied).toMatchObject([{ decision: 'denied', rule: { index: 1 } }]);
  });

  it('tells the page which tools never ask, and the tool actor which never run', () => {
    expect(tools.map(policy.effectFor)).toEqual(['deny', 'allow']);
    expect(policy.refuse(tools[0]!)).toContain('rule 1: deny write_* on tollgate-files');
    expect(policy.refuse(tools[0]!)).toContain('Read-only here.');
    expect(policy.refuse(tools[1]!)).toBeNull();
  });
});
