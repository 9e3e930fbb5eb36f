import { expect, it } from 'vitest';
import type { Store } from '../../src/store/store.ts';
import type { StoreSubject } from './support/store-implementation.ts';

interface Subject {
  readonly store: Store;
  readonly subject: StoreSubject;
}

/**
 * The contract of the "Always allow everywhere" grants (src/store/tool-grants.ts): one per person,
 * MCP server and tool, named by the decision's entry, listed newest first, revoked one by one,
 * kept across a restart. Registered from `storeContract`.
 */
export function grantsContract(t: Subject): void {
  const grants = () => t.store.grants;
  const write = { toolName: 'write_file', server: 'tollgate-files' };

  it('keeps a grant named by its decision, and finds it by person, server and tool', async () => {
    const kept = await grants().add({
      owner: null,
      ...write,
      conversationId: 'c1',
      seq: 12,
      grantedAt: 1_000,
    });
    expect(kept).toEqual({
      id: 'c1:12',
      owner: null,
      ...write,
      conversationId: 'c1',
      seq: 12,
      grantedAt: 1_000,
    });
    expect(await grants().find(null, 'tollgate-files', 'write_file')).toEqual(kept);
    // Another server's tool of the same name, or another person, is not granted.
    expect(await grants().find(null, 'other-files', 'write_file')).toBeNull();
    expect(await grants().find('ana', 'tollgate-files', 'write_file')).toBeNull();
    const reopened = await t.subject.reopen();
    expect(await reopened.grants.find(null, 'tollgate-files', 'write_file')).toEqual(kept);
  });

  it('keeps the first grant of the same tool; each person has their own', async () => {
    const first = await grants().add({
      owner: 'ana',
      ...write,
      conversationId: 'c1',
      seq: 3,
      grantedAt: 1_000,
    });
    const again = await grants().add({
      owner: 'ana',
      ...write,
      conversationId: 'c2',
      seq: 7,
      grantedAt: 2_000,
    });
    expect(again).toEqual(first);
    await grants().add({ owner: 'bo', ...write, conversationId: 'c3', seq: 1, grantedAt: 3_000 });
    expect((await grants().list('ana')).map((grant) => grant.id)).toEqual(['c1:3']);
    expect((await grants().list('bo')).map((grant) => grant.id)).toEqual(['c3:1']);
    expect(await grants().list(null)).toEqual([]);
  });

  it('lists the newest first and revokes one, only for its person', async () => {
    await grants().add({ owner: null, ...write, conversationId: 'c1', seq: 4, grantedAt: 1_000 });
    await grants().add({
      owner: null,
      toolName: 'read_file',
      server: 'tollgate-files',
      conversationId: 'c2',
      seq: 9,
      grantedAt: 2_000,
    });
    expect((await grants().list(null)).map((grant) => grant.id)).toEqual(['c2:9', 'c1:4']);
    expect(await grants().revoke('ana', 'c1:4')).toBeNull();
    expect(await grants().revoke(null, 'nonsense')).toBeNull();
    expect(await grants().revoke(null, 'c1:4')).toMatchObject({
      id: 'c1:4',
      toolName: 'write_file',
    });
    expect(await grants().revoke(null, 'c1:4')).toBeNull();
    expect(await grants().find(null, 'tollgate-files', 'write_file')).toBeNull();
    expect((await grants().list(null)).map((grant) => grant.id)).toEqual(['c2:9']);
    // Revoked, the tool may be granted again, by a later decision.
    expect(
      (
        await grants().add({
          owner: null,
          ...write,
          conversationId: 'c5',
          seq: 2,
          grantedAt: 3_000,
        })
      ).id,
    ).toBe('c5:2');
  });
}
