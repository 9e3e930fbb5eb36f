import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogEntry } from '@tollgate/machines';
import { describe, expect, it } from 'vitest';
import { emulatedServerPerTest } from './emulated-server.ts';
import { awaitingApproval, mirrorOf, say, turnCompleted, writeCall } from './flow-scripts.ts';

// APPROVAL_TTL on a real server process: a call nobody decides reaches Claude as a denial that
// says it expired, and the deadline, kept in the log, outlives a restart.

const kit = emulatedServerPerTest();

type SentMessages = { messages: { content: { is_error?: boolean; content?: string }[] }[] };

function deadlineOf(entries: LogEntry[]): number {
  const completed = entries.find((e) => e.event.type === 'assistant.completed');
  if (completed?.event.type !== 'assistant.completed' || completed.event.expiresAt === undefined) {
    throw new Error('the turn has no approval deadline');
  }
  return completed.event.expiresAt;
}

describe('approval expiry (APPROVAL_TTL)', () => {
  it('expires a call nobody decides: logged, shown as expired, and Claude reads an is_error result', async () => {
    const { dirs } = await kit.start({ APPROVAL_TTL: '1s' });
    kit.emulator.enqueue(writeCall('toolu_x1', 'late.md', 'x'), say('No answer; I left it.'));
    const a = await kit.client();
    const id = await a.createConversation();
    await a.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Write late.md' });
    await awaitingApproval(a, id);
    const completedAt = a.entries(id).find((e) => e.event.type === 'assistant.completed')?.at ?? 0;
    const deadline = deadlineOf(a.entries(id));
    expect(deadline - completedAt).toBeGreaterThanOrEqual(990);
    expect(deadline - completedAt).toBeLessThanOrEqual(1_100);

    await turnCompleted(a, id, 2);
    const entries = a.entries(id);
    const expired = entries.find((e) => e.event.type === 'approval.expired');
    expect(expired?.event).toEqual({ type: 'approval.expired', turn: 1 });
    expect(expired?.at).toBeGreaterThanOrEqual(deadline);
    const call = mirrorOf(entries).context.items.find((item) => item.kind === 'tool');
    expect(call).toMatchObject({ toolUseId: 'toolu_x1', decision: { status: 'expired' } });
    expect(entries.some((e) => e.event.type === 'tool.started')).toBe(false);
    await expect(stat(join(dirs.workspaceDir, 'late.md'))).rejects.toThrow();
    const sent = kit.emulator.requests[1]?.body as SentMessages;
    expect(sent.messages.at(-1)?.content[0]).toMatchObject({ is_error: true });
    expect(sent.messages.at(-1)?.content[0]?.content).toContain('expired');
    expect(kit.emulator.requests.map((r) => [r.status, r.violations.length])).toEqual([
      [200, 0],
      [200, 0],
    ]);
  });

  it('a conversation rebuilt after a kill -9 keeps the deadline its log holds, whatever the new setting', async () => {
    const { dirs } = await kit.start({ APPROVAL_TTL: '2s' });
    kit.emulator.enqueue(writeCall('toolu_x3', 'restart.md', 'x'), say('It expired meanwhile.'));
    const a = await kit.client();
    const id = await a.createConversation();
    await a.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Write restart.md' });
    await awaitingApproval(a, id);
    const deadline = deadlineOf(a.entries(id));
    expect(await kit.server.kill('SIGKILL')).toBe('SIGKILL');

    // The new process's own setting is far longer: the deadline the log holds is the one kept.
    await kit.start({ APPROVAL_TTL: '1h' }, dirs);
    const b = await kit.client();
    await b.subscribe(id);
    await turnCompleted(b, id, 2);
    const expired = b.entries(id).find((e) => e.event.type === 'approval.expired');
    expect(expired?.at).toBeGreaterThanOrEqual(deadline);
    const sent = kit.emulator.requests[1]?.body as SentMessages;
    expect(sent.messages.at(-1)?.content[0]).toMatchObject({ is_error: true });
    expect(sent.messages.at(-1)?.content[0]?.content).toContain('expired');
  });
});
