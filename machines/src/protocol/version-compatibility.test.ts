import { describe, expect, it } from 'vitest';
import { MACHINE_VERSION } from '../conversation-machine.ts';
import {
  PROTOCOL_VERSION,
  serverMessageSchema,
  serverMessageVersionsSchema,
} from './server-message.ts';
import { compatibility } from './version-compatibility.ts';

const page = { protocol: 3, machineVersion: 5 };

describe('version compatibility at hello', () => {
  it('accepts a server of the same versions', () => {
    expect(compatibility({ protocol: 3, machineVersion: 5 }, page)).toEqual({ ok: true });
    expect(compatibility({ protocol: PROTOCOL_VERSION, machineVersion: MACHINE_VERSION })).toEqual({
      ok: true,
    });
  });

  it('stops a page older than the server in either version', () => {
    for (const server of [
      { protocol: 4, machineVersion: 5 },
      { protocol: 3, machineVersion: 6 },
      // Newer anywhere wins: this page cannot read what it does not know.
      { protocol: 2, machineVersion: 6 },
      { protocol: 4, machineVersion: 1 },
    ]) {
      expect(compatibility(server, page), JSON.stringify(server)).toMatchObject({
        ok: false,
        reason: 'page_older',
        pageWorks: false,
      });
    }
    expect(compatibility({ protocol: 4, machineVersion: 5 }, page)).toMatchObject({
      message: expect.stringMatching(/^This page is older than the server\. Reload to continue\./),
    });
  });

  it('stops a page whose server is older in protocol: they cannot talk', () => {
    expect(compatibility({ protocol: 2, machineVersion: 5 }, page)).toMatchObject({
      ok: false,
      reason: 'server_older',
      pageWorks: false,
    });
  });

  it('keeps a page working on a server of the same protocol and an older machine', () => {
    const result = compatibility({ protocol: 3, machineVersion: 4 }, page);
    expect(result).toMatchObject({ ok: false, reason: 'server_older', pageWorks: true });
    expect(result.ok === false && result.message).toContain(
      'The server speaks protocol 3 and machine version 4; this page, protocol 3 and machine version 5.',
    );
  });

  it("compares with this build's versions by default", () => {
    expect(
      compatibility({ protocol: PROTOCOL_VERSION, machineVersion: MACHINE_VERSION + 1 }),
    ).toMatchObject({ ok: false, reason: 'page_older' });
    expect(
      compatibility({ protocol: PROTOCOL_VERSION + 1, machineVersion: MACHINE_VERSION }),
    ).toMatchObject({ ok: false, reason: 'page_older' });
  });
});

describe('reading the versions a server sends', () => {
  const hello = {
    type: 'hello',
    protocol: PROTOCOL_VERSION + 1,
    machineVersion: MACHINE_VERSION + 1,
    claude: { status: 'ready', provider: 'anthropic', model: 'm', message: null },
    tools: [],
    mcpServers: [],
  };

  it("reads a newer server's hello, and refuses versions that are not positive integers", () => {
    expect(serverMessageSchema.safeParse(hello).success).toBe(true);
    for (const bad of [{ protocol: 0 }, { machineVersion: 1.5 }, { machineVersion: 'two' }]) {
      expect(serverMessageSchema.safeParse({ ...hello, ...bad }).success).toBe(false);
    }
  });

  it('reads the hello of a server from before machine versions were sent as machine version 1', () => {
    const { machineVersion: _, ...older } = hello;
    expect(serverMessageSchema.parse(older)).toMatchObject({ type: 'hello', machineVersion: 1 });
  });

  it('reads the versions even when the rest of the message is of a shape this build lacks', () => {
    const { claude: _, ...reshaped } = { ...hello, status: { claude: 'ready' } };
    expect(serverMessageSchema.safeParse(reshaped).success).toBe(false);
    expect(serverMessageVersionsSchema.parse(reshaped)).toEqual({
      type: 'hello',
      protocol: PROTOCOL_VERSION + 1,
      machineVersion: MACHINE_VERSION + 1,
    });
    const entries = {
      type: 'entries',
      entries: [{ seq: 1, event: { type: 'new' }, machineVersion: 9 }],
    };
    expect(serverMessageVersionsSchema.parse(entries)).toEqual({
      type: 'entries',
      entries: [{ machineVersion: 9 }],
    });
    expect(serverMessageVersionsSchema.safeParse({ type: 'tools' }).success).toBe(false);
  });
});
