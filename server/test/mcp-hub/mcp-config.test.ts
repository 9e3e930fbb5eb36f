// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are ${VAR} references to expand, not templates
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  McpConfigError,
  type McpConfigOptions,
  parseMcpConfig,
  readMcpConfig,
  readMcpConfigFromEnv,
} from '../../src/mcp/mcp-config.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollgate-config-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const invalid = (json: unknown) => () =>
  parseMcpConfig(JSON.stringify(json), 'mcp.json', { env: {} });
const parse = (servers: Record<string, unknown>, options: McpConfigOptions = {}) =>
  parseMcpConfig(JSON.stringify({ mcpServers: servers }), 'mcp.json', { env: {}, ...options });
/** The problems parse throws, each `at <key>: <message>`. */
const problems = (servers: Record<string, unknown>, options: McpConfigOptions = {}): string[] => {
  try {
    parse(servers, options);
  } catch (error) {
    if (error instanceof McpConfigError) return error.problems;
    throw error;
  }
  throw new Error('parsed without a problem');
};

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
        protocol: 'streamable-http',
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

describe('"type": stdio, http (streamable-http) and sse', () => {
  it('reads each type, and infers stdio from a command and http from a lone url', () => {
    expect(
      parse({
        a: { type: 'stdio', command: 'srv' },
        b: { type: 'http', url: 'http://127.0.0.1:1/mcp' },
        c: { type: 'streamable-http', url: 'http://127.0.0.1:1/mcp' },
        d: { type: 'streamableHttp', url: 'http://127.0.0.1:1/mcp' },
        e: { type: 'sse', url: 'https://example.test/sse', headers: { 'X-Key': 'k' } },
        f: { url: 'http://127.0.0.1:1/mcp' },
      }),
    ).toEqual([
      { name: 'a', transport: 'stdio', command: 'srv', args: [], env: {} },
      ...['b', 'c', 'd'].map((name) => ({
        name,
        transport: 'http',
        protocol: 'streamable-http',
        url: 'http://127.0.0.1:1/mcp',
        headers: {},
      })),
      {
        name: 'e',
        transport: 'http',
        protocol: 'sse',
        url: 'https://example.test/sse',
        headers: { 'X-Key': 'k' },
      },
      {
        name: 'f',
        transport: 'http',
        protocol: 'streamable-http',
        url: 'http://127.0.0.1:1/mcp',
        headers: {},
      },
    ]);
  });

  it('refuses an unknown type, naming the server and the field', () => {
    expect(problems({ ws: { type: 'websocket', url: 'http://x.test/' } })).toEqual([
      'at mcpServers.ws.type: unknown type "websocket": expected "stdio", "http" (or "streamable-http") or "sse"',
    ]);
    expect(problems({ n: { type: 3, command: 'x' } })).toEqual([
      'at mcpServers.n.type: unknown type a number: expected "stdio", "http" (or "streamable-http") or "sse"',
    ]);
  });

  it('refuses fields of the other transport, saying what the server was taken for', () => {
    expect(problems({ a: { type: 'stdio', command: 'x', url: 'http://x.test/' } })).toEqual([
      'at mcpServers.a.url: url is for http and sse servers, and this one is a stdio server ("type": "stdio")',
    ]);
    expect(problems({ b: { command: 'x', url: 'http://x.test/', headers: {} } })).toEqual([
      'at mcpServers.b.url: url is for http and sse servers, and this one is a stdio server (it has a command and no "type")',
      'at mcpServers.b.headers: headers is for http and sse servers, and this one is a stdio server (it has a command and no "type")',
    ]);
    expect(
      problems({ c: { type: 'http', url: 'http://x.test/', command: 'x', args: [], cwd: '/' } }),
    ).toEqual([
      'at mcpServers.c.command: command is for stdio servers, and this one is an http server ("type": "http")',
      'at mcpServers.c.args: args is for stdio servers, and this one is an http server ("type": "http")',
      'at mcpServers.c.cwd: cwd is for stdio servers, and this one is an http server ("type": "http")',
    ]);
    expect(problems({ d: { type: 'sse', url: 'http://x.test/', env: {} } })).toEqual([
      'at mcpServers.d.env: env is for stdio servers, and this one is an sse server ("type": "sse")',
    ]);
    expect(problems({ e: { url: 'http://x.test/', env: {} } })).toEqual([
      'at mcpServers.e.env: env is for stdio servers, and this one is an http server (it has a url and no command)',
    ]);
    expect(problems({ f: { type: 'http' }, g: { type: 'stdio', url: 'http://x.test/' } })).toEqual([
      'at mcpServers.f.url: Invalid input: expected string, received undefined',
      'at mcpServers.g.url: url is for http and sse servers, and this one is a stdio server ("type": "stdio")',
      'at mcpServers.g.command: Invalid input: expected string, received undefined',
    ]);
  });

  it('checks headers and the url once expanded', () => {
    const env = { SECRET: 'top-secret-value' };
    const found = problems(
      {
        r: {
          type: 'sse',
          url: '${URL:-ftp://x.test/}',
          headers: { 'bad name': 'x', Authorization: 'Bearer ${SECRET}\r\nX-Injected: 1' },
        },
        h: { url: 'http://x.test/', headers: { 'X-Ok': 'fine', 'X-Bad': 'a\u0000${SECRET}' } },
      },
      { env },
    );
    expect(found).toEqual([
      'at mcpServers.r.url: url must be an http(s) URL',
      'at mcpServers.r.headers.bad name: not a valid HTTP header name',
      'at mcpServers.r.headers.Authorization: the value is not a valid HTTP header value (a line break or a control character?)',
      'at mcpServers.h.headers.X-Bad: the value is not a valid HTTP header value (a line break or a control character?)',
    ]);
    expect(found.join('\n')).not.toContain(env.SECRET);
    expect(problems({ r: { url: 'http://x.test/', headers: { a: 1 } } })).toEqual([
      'at mcpServers.r.headers.a: Invalid input: expected string, received number',
    ]);
  });
});

describe('${VAR} and ${VAR:-default} in the servers', () => {
  const env = {
    TOKEN: 'tok-123',
    NODE_BIN: '/usr/bin/node',
    PORT: '4000',
    WORKDIR: '/srv/tools',
  };

  it('expands command, each arg, env values, cwd, url and header values, never keys', () => {
    expect(
      parse(
        {
          local: {
            command: '${NODE_BIN}',
            args: ['${WORKDIR}/server.js', '--port=${PORT}', '--mode=${MODE:-dev}', '$HOME', '$$'],
            env: { API_TOKEN: '${TOKEN}', '${TOKEN}': 'key kept', LEVEL: '${LEVEL:-info}' },
            cwd: '${WORKDIR}',
          },
          remote: {
            type: 'http',
            url: 'http://127.0.0.1:${PORT}/mcp?x=${X:-1}',
            headers: { Authorization: 'Bearer ${TOKEN}', 'X-$TOKEN': '${TOKEN}' },
          },
        },
        { env },
      ),
    ).toEqual([
      {
        name: 'local',
        transport: 'stdio',
        command: '/usr/bin/node',
        args: ['/srv/tools/server.js', '--port=4000', '--mode=dev', '$HOME', '$$'],
        env: { API_TOKEN: 'tok-123', '${TOKEN}': 'key kept', LEVEL: 'info' },
        cwd: '/srv/tools',
      },
      {
        name: 'remote',
        transport: 'http',
        protocol: 'streamable-http',
        url: 'http://127.0.0.1:4000/mcp?x=1',
        headers: { Authorization: 'Bearer tok-123', 'X-$TOKEN': 'tok-123' },
      },
    ]);
  });

  it('reads a Claude Code .mcp.json and a Cursor mcp.json as they are', () => {
    const claudeCode = parse(
      {
        github: {
          type: 'http',
          url: 'https://api.example.test/mcp/',
          headers: { Authorization: 'Bearer ${TOKEN}' },
        },
        legacy: { type: 'sse', url: '${SSE_URL:-https://sse.example.test/sse}' },
        db: {
          type: 'stdio',
          command: 'npx',
          args: ['-y', 'db-mcp'],
          env: { DB_TOKEN: '${TOKEN}' },
        },
      },
      { env },
    );
    expect(claudeCode.map((s) => s.transport === 'http' && [s.protocol, s.url, s.headers])).toEqual(
      [
        ['streamable-http', 'https://api.example.test/mcp/', { Authorization: 'Bearer tok-123' }],
        ['sse', 'https://sse.example.test/sse', {}],
        false,
      ],
    );
    const cursor = parse(
      {
        context7: { url: 'https://mcp.example.test/mcp', headers: { KEY: '${env:TOKEN}' } },
        fs: { command: 'npx', args: ['-y', 'fs-mcp', '${userHome}/notes'] },
      },
      { env, home: '/home/ada' },
    );
    expect(cursor).toMatchObject([
      { headers: { KEY: 'tok-123' } },
      { args: ['-y', 'fs-mcp', '/home/ada/notes'] },
    ]);
  });

  it('refuses unset variables without a default, naming each variable and server, no values', async () => {
    const servers = {
      remote: {
        url: 'https://${HOST}/mcp',
        headers: { Authorization: 'Bearer ${TOKEN}${SUFFIX}' },
      },
      local: {
        command: 'srv',
        args: ['--key=${API_KEY}'],
        env: { A: '${TOKEN}', B: '${B_VALUE}' },
      },
    };
    const error = (() => {
      try {
        parse(servers, { env: { TOKEN: 'tok-123' } });
      } catch (caught) {
        return caught as McpConfigError;
      }
    })();
    expect(error?.problems).toEqual([
      'at mcpServers.remote.url: needs the environment variable HOST, which is not set and has no default',
      'at mcpServers.remote.headers.Authorization: needs the environment variable SUFFIX, which is not set and has no default',
      'at mcpServers.local.args.0: needs the environment variable API_KEY, which is not set and has no default',
      'at mcpServers.local.env.B: needs the environment variable B_VALUE, which is not set and has no default',
    ]);
    expect(error?.message).toBe(`The MCP config mcp.json is invalid ${error?.problems.join('; ')}`);
    expect(error?.message).not.toContain('tok-123');

    // Read from the file through MCP_CONFIG, variables from the same environment.
    const path = join(dir, 'vars.json');
    await writeFile(path, JSON.stringify({ mcpServers: servers }));
    await expect(readMcpConfigFromEnv({ MCP_CONFIG: path, TOKEN: 't' })).rejects.toThrow(
      'needs the environment variable HOST',
    );
    const full = {
      MCP_CONFIG: path,
      HOST: 'h.test',
      TOKEN: 't',
      SUFFIX: 's',
      API_KEY: 'k',
      B_VALUE: 'b',
    };
    expect(await readMcpConfigFromEnv(full)).toMatchObject([
      { url: 'https://h.test/mcp', headers: { Authorization: 'Bearer ts' } },
      { args: ['--key=k'], env: { A: 't', B: 'b' } },
    ]);
  });

  it('refuses a malformed reference without quoting the field', () => {
    expect(problems({ a: { command: 'x', env: { K: '${TOKEN' } } }, { env })).toEqual([
      'at mcpServers.a.env.K: a "${" is never closed by "}"',
    ]);
  });
});

describe("other tools' fields", () => {
  it('leaves out a disabled server, without needing its variables, and says so', () => {
    const notes: string[] = [];
    expect(
      parse(
        {
          off: { command: 'x', args: ['${NOT_SET}'], disabled: true },
          offRemote: { type: 'sse', url: '${NOT_SET}', disabled: true },
          on: { command: 'y', disabled: false },
        },
        { onNote: (note) => notes.push(note) },
      ),
    ).toEqual([{ name: 'on', transport: 'stdio', command: 'y', args: [], env: {} }]);
    expect(notes).toEqual([
      'The MCP config mcp.json: mcpServers.off is disabled: not started',
      'The MCP config mcp.json: mcpServers.offRemote is disabled: not started',
    ]);
    // Still checked for shape: a typo is a typo.
    expect(problems({ off: { comand: 'x', disabled: true } })).toEqual([
      'at mcpServers.off.command: Invalid input: expected string, received undefined',
      'at mcpServers.off.comand: Unrecognized key: "comand"',
    ]);
    expect(problems({ a: { command: 'x', disabled: 'yes' } })).toEqual([
      'at mcpServers.a.disabled: disabled must be true or false',
    ]);
  });

  it("accepts Cline's and Roo Code's approval and timeout settings, ignores them, and says so", () => {
    const notes: string[] = [];
    const servers = parse(
      {
        cline: {
          command: 'x',
          autoApprove: ['read'],
          timeout: 60,
          type: 'stdio',
          description: 'files',
        },
        roo: { url: 'http://x.test/mcp', alwaysAllow: [], disabledTools: ['rm'], watchPaths: [] },
      },
      { onNote: (note) => notes.push(note) },
    );
    expect(servers.map((s) => s.name)).toEqual(['cline', 'roo']);
    expect(notes).toEqual([
      "The MCP config mcp.json: mcpServers.cline: autoApprove, timeout, description ignored (other tools' settings; Tollgate asks before every call and has its own timeouts)",
      "The MCP config mcp.json: mcpServers.roo: alwaysAllow, disabledTools, watchPaths ignored (other tools' settings; Tollgate asks before every call and has its own timeouts)",
    ]);
  });

  it('refuses settings it cannot honour, which would start the server wrong', () => {
    expect(
      problems({
        a: { command: 'x', envFile: '.env' },
        b: { type: 'http', url: 'http://x.test/', headersHelper: 'get-token.sh', oauth: {} },
      }),
    ).toEqual([
      'at mcpServers.a.envFile: envFile (Cursor) is not supported: put the variables in env, as "${NAME}" taken from Tollgate\'s own environment or .env',
      'at mcpServers.b.headersHelper: headersHelper (Claude Code) is not supported: put the headers in headers, with "${NAME}" for secrets',
      'at mcpServers.b.oauth: Tollgate cannot sign in to a server with OAuth: give a token in headers instead',
    ]);
  });
});
