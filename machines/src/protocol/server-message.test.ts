import { describe, expect, it } from 'vitest';
import { mcpServerStatusSchema } from './server-message.ts';

describe("an MCP server's status", () => {
  it('carries its state, error, stderr tail and next try', () => {
    const failed = {
      name: 'everything',
      state: 'failed',
      error: 'The everything server stopped before it finished starting.',
      tools: 0,
      stderr: ['Error: no config', '    at main (index.js:3)'],
      retryAt: 1764000000000,
    };
    expect(mcpServerStatusSchema.parse(failed)).toEqual(failed);
    for (const state of ['starting', 'ready', 'restarting']) {
      expect(mcpServerStatusSchema.parse({ ...failed, state }).state).toBe(state);
    }
    expect(mcpServerStatusSchema.safeParse({ ...failed, state: 'sleeping' }).success).toBe(false);
  });

  it("reads an older server's status: unavailable is a failure, without stderr or next try", () => {
    expect(
      mcpServerStatusSchema.parse({ name: 'x', state: 'unavailable', error: 'gone', tools: 2 }),
    ).toEqual({ name: 'x', state: 'failed', error: 'gone', tools: 2, stderr: [], retryAt: null });
  });
});
