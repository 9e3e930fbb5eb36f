import type { ConversationEvent } from '@tollgate/machines';
import { expect, it } from 'vitest';
import type { Store } from '../../src/store/store.ts';
import { appendEvents, appendNext } from './support/append-next.ts';
import type { StoreSubject } from './support/store-implementation.ts';

interface Subject {
  readonly store: Store;
  readonly subject: StoreSubject;
}

/**
 * The contract of the "Always allow everywhere" grants (src/store/tool-grants.ts): one per person,
 * MCP server and tool, named by the decision's entry, listed newest first, revoked one by one,
 * kept across a restart, and written in the transaction that appends the decision.
 * Registered from `storeContract`.
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

  const approve = (
    commandId: string,
    scope: 'once' | 'always' | 'everywhere',
    grant?: { toolName: string; server?: string },
  ): ConversationEvent => ({
    type: 'tool.approve',
    commandId,
    toolUseId: `toolu_${commandId}`,
    scope,
    ...(grant ? { grant } : {}),
  });

  it('writes the grant of an appended "everywhere" decision with it, for its owner', async () => {
    await t.store.conversations.create({ id: 'c1', createdAt: 1_000, owner: 'ana' });
    await t.store.conversations.create({ id: 'c2', createdAt: 1_000, owner: 'ana' });
    await t.store.conversations.create({ id: 'c3', createdAt: 1_000 });
    const entry = await appendNext(t.store.log, 'c1', approve('k1', 'everywhere', write), 5_000);
    expect(await grants().list('ana')).toEqual([
      {
        id: `c1:${entry.seq}`,
        owner: 'ana',
        ...write,
        conversationId: 'c1',
        seq: entry.seq,
        grantedAt: 5_000,
      },
    ]);
    // A later decision of the same tool keeps the first grant; another tool gets its own.
    await appendNext(t.store.log, 'c2', approve('k2', 'everywhere', write), 6_000);
    const read = { toolName: 'read_file', server: 'tollgate-files' };
    const [, second] = await appendEvents(
      t.store.log,
      'c2',
      [approve('k3', 'once'), approve('k4', 'everywhere', read)],
      7_000,
    );
    expect((await grants().list('ana')).map((grant) => grant.id)).toEqual([
      `c2:${second!.seq}`,
      `c1:${entry.seq}`,
    ]);
    // The single owner's conversation makes the single owner's grant.
    await appendNext(t.store.log, 'c3', approve('k5', 'everywhere', write), 8_000);
    expect((await grants().list(null)).map((grant) => grant.conversationId)).toEqual(['c3']);
    // "Always allow" in one conversation, or a decision without a grant (an old log's), makes none.
    await appendNext(t.store.log, 'c3', approve('k6', 'always', read), 9_000);
    await appendNext(t.store.log, 'c3', approve('k7', 'everywhere'), 9_000);
    expect(await grants().find(null, 'tollgate-files', 'read_file')).toBeNull();
    const reopened = await t.subject.reopen();
    expect((await reopened.grants.list('ana')).map((grant) => grant.id)).toEqual([
      `c2:${second!.seq}`,
      `c1:${entry.seq}`,
    ]);
  });

  it('writes no grant for a refused append', async () => {
    await t.store.conversations.create({ id: 'c1', createdAt: 1_000, owner: 'ana' });
    const first = await appendNext(t.store.log, 'c1', approve('k1', 'once'), 1_000);
    // A taken seq, a repeated command, a skipped seq in a batch: nothing is written.
    await expect(
      t.store.log.append({
        conversationId: 'c1',
        seq: first.seq,
        event: approve('k2', 'everywhere', write),
        at: 2_000,
      }),
    ).rejects.toThrow();
    await expect(
      appendNext(t.store.log, 'c1', approve('k1', 'everywhere', write), 2_000),
    ).rejects.toThrow();
    await expect(
      t.store.log.appendBatch([
        {
          conversationId: 'c1',
          seq: first.seq + 1,
          event: approve('k3', 'everywhere', write),
          at: 2_000,
        },
        { conversationId: 'c1', seq: first.seq + 3, event: approve('k4', 'once'), at: 2_000 },
      ]),
    ).rejects.toThrow();
    expect(await grants().list('ana')).toEqual([]);
    expect(await t.store.log.lastSeq('c1')).toBe(first.seq);
  });

  it('keeps an "Always allow" of one conversation with its decision, until its revoke', async () => {
    await t.store.conversations.create({ id: 'c1', createdAt: 1_000, owner: 'ana' });
    await t.store.conversations.create({ id: 'c2', createdAt: 1_000, owner: 'ana' });
    await t.store.conversations.create({ id: 'c3', createdAt: 1_000, owner: 'bo' });
    const a = await appendNext(t.store.log, 'c1', approve('k1', 'always', write), 5_000);
    // A second "Always allow" of the same tool keeps the first; no server is kept as null.
    await appendNext(t.store.log, 'c1', approve('k2', 'always', write), 5_500);
    const b = await appendNext(
      t.store.log,
      'c2',
      approve('k3', 'always', { toolName: 'gone_tool' }),
      6_000,
    );
    await appendNext(t.store.log, 'c3', approve('k4', 'always', write), 7_000);
    expect(await grants().listInConversations('ana')).toEqual([
      {
        id: `c2:${b.seq}`,
        conversationId: 'c2',
        toolName: 'gone_tool',
        server: null,
        seq: b.seq,
        grantedAt: 6_000,
      },
      { id: `c1:${a.seq}`, conversationId: 'c1', ...write, seq: a.seq, grantedAt: 5_000 },
    ]);
    // They are not grants everywhere.
    expect(await grants().list('ana')).toEqual([]);
    // A revoke removes it with its entry; a refused one does not.
    await expect(
      t.store.log.append({
        conversationId: 'c1',
        seq: a.seq,
        event: { type: 'policy.revoke', commandId: 'r0', toolName: 'write_file' },
        at: 8_000,
      }),
    ).rejects.toThrow();
    expect(await grants().listInConversations('ana')).toHaveLength(2);
    await appendNext(
      t.store.log,
      'c1',
      { type: 'policy.revoke', commandId: 'r1', toolName: 'write_file' },
      8_000,
    );
    expect((await grants().listInConversations('ana')).map((g) => g.id)).toEqual([`c2:${b.seq}`]);
    const reopened = await t.subject.reopen();
    expect((await reopened.grants.listInConversations('ana')).map((g) => g.id)).toEqual([
      `c2:${b.seq}`,
    ]);
    // A deleted conversation takes its grants with it.
    await reopened.conversations.delete('c2');
    expect(await reopened.grants.listInConversations('ana')).toEqual([]);
    expect(await reopened.grants.listInConversations('bo')).toHaveLength(1);
  });
}
