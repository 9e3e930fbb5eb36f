import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMcpConfig, readMcpConfig, readMcpConfigFromEnv } from '../../src/mcp/mcp-config.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollgate-config-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const invalid = (json: unknown) => () => parseMcpConfig(JSON.stringify(json), 'mcp.json');

describe("the mcpServers file (Claude Desktop's format)", () => {
  it('reads stdio and url servers, in file order, with defaults', async () => {
    const path = join(dir, 'ok.json');
    await writeFile(
      path,
      JSON.stringify({
        mcpServers: {
          files: { command: 'npx', args: ['-y', 'some-server'], env: { TOKEN: 'x' }, cwd: '/tmp' },
          bare: { command: 'my-server' },
          remote: { url: 'https://example.test/mcp', headers: { authorization: 'Bearer t' } },
        },
      }),
    );
    expect(await readMcpConfig(path)).toEqual([
      {
        name: 'files',
        transport: 'stdio',
        command: 'npx',
        args: ['-y', 'some-server'],
        env: { TOKEN: 'x' },
        cwd: '/tmp',
      },
      { name: 'bare', transport: 'stdio', command: 'my-server', args: [], env: {} },
      {
        name: 'remote',
        transport: 'http',
        url: 'https://example.test/mcp',
        headers: { authorization: 'Bearer t' },
      },
    ]);
    expect(await readMcpConfigFromEnv({ MCP_CONFIG: path })).toHaveLength(3);
    expect(await readMcpConfigFromEnv({})).toEqual([]);
  });

  it('names the file and the bad key in every error', async () => {
    await expect(readMcpConfig(join(dir, 'missing.json'))).rejects.toThrow(
      `Cannot read the MCP config ${join(dir, 'missing.json')}: it does not exist`,
    );
    expect(() => parseMcpConfig('{ nope', 'mcp.json')).toThrow(
      /^The MCP config mcp\.json is not valid JSON: /,
    );
    expect(invalid({ servers: {} })).toThrow(
      'The MCP config mcp.json is invalid at mcpServers: Invalid input: expected record, received undefined',
    );
    expect(invalid({ mcpServers: { a: { args: [] } } })).toThrow(
      'The MCP config mcp.json is invalid at mcpServers.a.command: Invalid input: expected string, received undefined',
    );
    expect(invalid({ mcpServers: { a: { command: 'x', args: 'y' } } })).toThrow(
      'is invalid at mcpServers.a.args: ',
    );
    expect(invalid({ mcpServers: { a: { command: 'x', env: { N: 1 } } } })).toThrow(
      'is invalid at mcpServers.a.env.N: ',
    );
    expect(invalid({ mcpServers: { a: { command: 'x', comand: 'y' } } })).toThrow(
      'is invalid at mcpServers.a.comand: ',
    );
    expect(invalid({ mcpServers: { r: { url: 'ftp://x.test/' } } })).toThrow(
      'The MCP config mcp.json is invalid at mcpServers.r.url: url must be an http(s) URL',
    );
    expect(invalid({ mcpServers: { a: 'npx server' } })).toThrow(
      'is invalid at mcpServers.a: expected an object',
    );
  });
});
