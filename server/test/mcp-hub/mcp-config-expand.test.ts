// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are ${VAR} references to expand, not templates
import { sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ExpandContext, expandVariables } from '../../src/mcp/mcp-config-expand.ts';

const context: ExpandContext = {
  env: { TOKEN: 's3cret', HOST: 'mcp.example.test', EMPTY: '', TEMPLATE: '${TOKEN}' },
  home: '/home/ada',
};
const expand = (text: string) => expandVariables(text, context);
const value = (text: string) => {
  const result = expand(text);
  if (!result.ok) throw new Error(`not expanded: ${JSON.stringify(result)}`);
  return result.value;
};

describe('${VAR} expansion in the mcpServers file', () => {
  it('replaces set variables, wherever they are in the text', () => {
    expect(value('${TOKEN}')).toBe('s3cret');
    expect(value('Bearer ${TOKEN}')).toBe('Bearer s3cret');
    expect(value('https://${HOST}/mcp?key=${TOKEN}')).toBe(
      'https://mcp.example.test/mcp?key=s3cret',
    );
    expect(value('${HOST}${TOKEN}')).toBe('mcp.example.test' + 's3cret');
    expect(value('no references')).toBe('no references');
    expect(value('')).toBe('');
  });

  it('takes the default when the variable is unset or empty, and the value when set', () => {
    expect(value('${MISSING:-fallback}')).toBe('fallback');
    expect(value('${EMPTY:-fallback}')).toBe('fallback');
    expect(value('${TOKEN:-fallback}')).toBe('s3cret');
    expect(value('${MISSING:-}')).toBe('');
    expect(value('${MISSING:-http://localhost:3333/mcp}')).toBe('http://localhost:3333/mcp');
    // A default is literal text: `$`, `:-` and spaces included.
    expect(value('${MISSING:-a $b :- c}')).toBe('a $b :- c');
  });

  it('gives a set but empty variable as empty', () => {
    expect(value('[${EMPTY}]')).toBe('[]');
  });

  it('refuses an unset variable without a default, naming it and never a value', () => {
    expect(expand('Bearer ${MISSING}')).toEqual({ ok: false, missing: ['MISSING'], malformed: [] });
    expect(expand('${A} ${B} ${A} ${TOKEN}')).toEqual({
      ok: false,
      missing: ['A', 'B'],
      malformed: [],
    });
    expect(JSON.stringify(expand('${TOKEN} ${MISSING}'))).not.toContain('s3cret');
  });

  it('keeps every $ that does not open ${ as it is', () => {
    for (const literal of ['$', '$$', 'a$', '$TOKEN', '$$TOKEN', 'cost: 100$', '$(date)']) {
      expect(value(literal)).toBe(literal);
    }
    expect(value('$$${TOKEN}')).toBe('$$s3cret');
    expect(value('$${TOKEN}')).toBe('$s3cret');
    expect(value('}{$')).toBe('}{$');
  });

  it('does not expand a value a second time', () => {
    expect(value('${TEMPLATE}')).toBe('${TOKEN}');
  });

  it("reads Cursor's forms: ${env:NAME}, ${userHome}, ${pathSeparator}, ${/}", () => {
    expect(value('${env:TOKEN}')).toBe('s3cret');
    expect(value('${env:MISSING:-x}')).toBe('x');
    expect(value('${userHome}${/}notes${pathSeparator}a')).toBe(`/home/ada${sep}notes${sep}a`);
    expect(expand('${env:MISSING}')).toMatchObject({ ok: false, missing: ['MISSING'] });
  });

  it('refuses any other ${ rather than guessing, without quoting the text', () => {
    const malformed = (text: string) => {
      const result = expand(text);
      expect(result.ok).toBe(false);
      return result.ok ? [] : result.malformed;
    };
    for (const text of [
      '${TOKEN',
      'x ${',
      '${}',
      '${1X}',
      '${A B}',
      '${A-x}',
      '${A:=x}',
      '${A:?}',
    ]) {
      expect(malformed(text)).toHaveLength(1);
    }
    expect(malformed('${TOKEN')).toEqual(['a "${" is never closed by "}"']);
    expect(malformed('${A-secretish}')[0]).not.toContain('secretish');
    expect(malformed('${MISSING:-${TOKEN}}')).toEqual([
      'the default of ${MISSING:-…} holds another "${", which is not expanded',
    ]);
    expect(malformed('${workspaceFolder}/x')).toEqual([
      "${workspaceFolder} is Cursor's open project, which Tollgate does not have: write the path",
    ]);
  });
});
