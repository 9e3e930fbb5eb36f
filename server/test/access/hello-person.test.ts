import { MACHINE_VERSION, PROTOCOL_VERSION, serverMessageSchema } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';

const hello = {
  type: 'hello',
  protocol: PROTOCOL_VERSION,
  machineVersion: MACHINE_VERSION,
  claude: { status: 'ready', provider: 'anthropic', model: 'm', message: null },
  tools: [],
  mcpServers: [],
};

describe('the person in the hello', () => {
  it('is read when sent, and is the single owner (null) in the hello of a server from before people', () => {
    expect(serverMessageSchema.parse({ ...hello, person: { name: 'alice' } })).toMatchObject({
      person: { name: 'alice' },
    });
    expect(serverMessageSchema.parse({ ...hello, person: null })).toMatchObject({ person: null });
    expect(serverMessageSchema.parse(hello)).toMatchObject({ person: null });
    expect(serverMessageSchema.safeParse({ ...hello, person: 'alice' }).success).toBe(false);
  });
});
