import { describe, expect, it } from 'vitest';
import { createTestGateway } from './support/gateway-harness.ts';

const grant = {
  id: 'c_1:25',
  toolName: 'write_file',
  scope: 'everywhere' as const,
  server: 'tollgate-files',
  conversationId: 'c_1',
  seq: 25,
  grantedAt: 1_000,
};

describe('the Policies panel over a connection', () => {
  it("lists the person's grants, and revokes one by id", async () => {
    const revoked: string[] = [];
    const { connect } = createTestGateway({
      grants: {
        list: async () => [grant],
        revoke: async (_owner, grantId) => {
          revoked.push(grantId);
          return grantId === grant.id;
        },
      },
    });
    const client = connect();
    client.sendJson({ type: 'list_grants' });
    await client.received(1);
    expect(client.takeMessages()).toEqual([{ type: 'grants', grants: [grant] }]);

    client.sendJson({ type: 'revoke_grant', grantId: 'c_1:25' });
    client.sendJson({ type: 'revoke_grant', grantId: 'c_9:1' });
    await client.received(1);
    expect(client.takeMessages()).toEqual([
      { type: 'error', code: 'unknown_grant', message: 'There is no grant c_9:1 to revoke.' },
    ]);
    expect(revoked).toEqual(['c_1:25', 'c_9:1']);
  });

  it('answers an empty list without a grant store', async () => {
    const { connect } = createTestGateway({});
    const client = connect();
    client.sendJson({ type: 'list_grants' });
    await client.received(1);
    expect(client.takeMessages()).toEqual([{ type: 'grants', grants: [] }]);
  });
});
