import { describe, expect, it } from 'vitest';
import { clientMessageSchema } from './client-message.ts';

const command = (fields: Record<string, unknown>) => ({
  type: 'command',
  conversationId: 'c1',
  command: { commandId: 'k1', ...fields },
});

describe("a browser's command", () => {
  it('is read as sent, and the server stamps the time itself', () => {
    expect(
      clientMessageSchema.safeParse(command({ type: 'user.message', text: 'Hi' })).success,
    ).toBe(true);
    expect(
      clientMessageSchema.safeParse(command({ type: 'user.message', text: 'Hi', at: 5 })).success,
    ).toBe(false);
    // The grant of "Always allow everywhere" is the server's stamp too (docs/policies.md).
    const approve = { type: 'tool.approve', toolUseId: 'toolu_1', scope: 'everywhere' };
    expect(clientMessageSchema.safeParse(command(approve)).success).toBe(true);
    expect(
      clientMessageSchema.safeParse(
        command({ ...approve, grant: { toolName: 'write_file', server: 'tollgate-files' } }),
      ).success,
    ).toBe(false);
  });

  it('is refused with a field this build does not know, rather than read without it', () => {
    const parsed = clientMessageSchema.safeParse(
      command({ type: 'tool.approve', toolUseId: 'toolu_1', scope: 'once', onlyLines: [1, 2] }),
    );
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/onlyLines/);
  });
});

describe('a request to restart an MCP server', () => {
  it('names the server, and nothing else', () => {
    expect(
      clientMessageSchema.safeParse({ type: 'restart_mcp_server', server: 'everything' }).data,
    ).toEqual({ type: 'restart_mcp_server', server: 'everything' });
    for (const bad of [
      { type: 'restart_mcp_server' },
      { type: 'restart_mcp_server', server: '' },
      { type: 'restart_mcp_server', server: 7 },
      { type: 'restart_mcp_server', server: 'x'.repeat(201) },
    ]) {
      expect(clientMessageSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('is refused with a field this build does not know', () => {
    const parsed = clientMessageSchema.safeParse({
      type: 'restart_mcp_server',
      server: 'everything',
      force: true,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/force/);
  });
});
