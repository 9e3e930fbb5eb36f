import { TOOL_NAME_PATTERN } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { assignClaudeToolNames, type ToolOrigin } from '../../src/mcp/claude-tool-names.ts';

const ext = (server: string, tool: string): ToolOrigin => ({ server, tool, builtIn: false });
const builtIn = (tool: string): ToolOrigin => ({ server: 'tollgate-files', tool, builtIn: true });

describe('Claude-facing tool names', () => {
  it('keep built-in names and prefix the others with their server', () => {
    expect(assignClaudeToolNames([ext('github', 'create_issue'), builtIn('write_file')])).toEqual([
      'github__create_issue',
      'write_file',
    ]);
  });

  it('replace invalid characters and shorten long names with a stable hash', () => {
    const long = ext('a-very-long-server-name', `tool.${'x'.repeat(80)}`);
    const [dotted, shortened] = assignClaudeToolNames([ext('my server', 'files/read.v2'), long]);
    expect(dotted).toBe('my_server__files_read_v2');
    expect(shortened).toHaveLength(64);
    expect(shortened).toMatch(/^a-very-long-server-name__tool_x+_[0-9a-f]{8}$/);
    expect(assignClaudeToolNames([long])).toEqual([shortened]);
  });

  it('keep names unique: built-in tools win, collisions get a hash of their origin', () => {
    const names = assignClaudeToolNames([
      ext('a', 'b.c'),
      ext('a', 'b_c'),
      ext('x', 'y'),
      ext('x', 'y'),
      builtIn('a__b_c'),
    ]);
    expect(names[4]).toBe('a__b_c');
    expect(names[0]).toMatch(/^a__b_c_[0-9a-f]{8}$/);
    expect(names[1]).toMatch(/^a__b_c_[0-9a-f]{8}$/);
    expect(names[2]).toBe('x__y');
    expect(names[3]).toMatch(/^x__y_[0-9a-f]{8}$/);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(TOOL_NAME_PATTERN);
  });

  it('give the same origins the same names whatever else is listed', () => {
    const [alone] = assignClaudeToolNames([ext('s', 't')]);
    const withOthers = assignClaudeToolNames([ext('q', 'r'), ext('s', 't')]);
    expect(withOthers[1]).toBe(alone);
  });
});
