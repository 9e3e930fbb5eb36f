import { describe, expect, it } from 'vitest';
import { parsePartialJson } from './partial-json.ts';

describe('parsePartialJson', () => {
  it('reads complete JSON exactly', () => {
    const value = {
      path: 'a/b.md',
      content: 'x\n"y"\\ü ✓',
      n: -1.5e3,
      ok: true,
      no: null,
      l: [1, 2],
    };
    expect(parsePartialJson(JSON.stringify(value))).toEqual(value);
  });

  it.each([
    ['', undefined],
    ['{', {}],
    ['{"pa', {}],
    ['{"path"', {}],
    ['{"path": ', {}],
    ['{"path": "notes/a', { path: 'notes/a' }],
    ['{"path": "notes/a.md", "content": "# Ti', { path: 'notes/a.md', content: '# Ti' }],
    ['{"a": "x\\', { a: 'x' }],
    ['{"a": "x\\n', { a: 'x\n' }],
    ['{"a": "\\u00', { a: '' }],
    ['{"a": "\\u00e9', { a: 'é' }],
    ['{"a": tr', {}],
    ['{"a": true, "b": [1, 2', { a: true, b: [1, 2] }],
    ['{"a": 12', { a: 12 }],
    ['{"a": -', {}],
    ['{"a": 1.', { a: 1 }],
    ['{"a": {"b": "c"}, ', { a: { b: 'c' } }],
    ['  [ "x", "y', ['x', 'y']],
  ])('reads the prefix %j', (text, expected) => {
    expect(parsePartialJson(text)).toEqual(expected);
  });

  it('gives up on text that is not JSON', () => {
    expect(parsePartialJson('hello')).toBeUndefined();
    expect(parsePartialJson('{"a" 1}')).toBeUndefined();
    expect(parsePartialJson('{"a": "\\x"}')).toBeUndefined();
  });

  it('agrees with JSON.parse on every prefix of a real call, as far as each prefix goes', () => {
    const input = { path: 'notes/ünï.md', content: 'line 1\nline "2"\n\ttab ✓ 😀\n' };
    const text = JSON.stringify(input);
    for (let end = 0; end <= text.length; end += 1) {
      const value = parsePartialJson(text.slice(0, end)) as Record<string, string> | undefined;
      if (value === undefined) {
        expect(end).toBe(0);
        continue;
      }
      for (const [key, part] of Object.entries(value)) {
        expect(input[key as keyof typeof input].startsWith(part)).toBe(true);
      }
    }
  });

  it('reads a large prefix quickly', () => {
    const text = JSON.stringify({ path: 'big.txt', content: 'abc "def"\n'.repeat(100_000) });
    const started = performance.now();
    const value = parsePartialJson(text.slice(0, -10)) as { content: string };
    expect(value.content.length).toBeGreaterThan(900_000);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
