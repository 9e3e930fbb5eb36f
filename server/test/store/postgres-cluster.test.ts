import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CommandInput, LogEntry } from '@tollgate/machines';
import { describe, expect, it, vi } from 'vitest';
import { started, userMessage } from '../../../machines/src/test-support/event-builders.ts';
import type { RelayedOutcome } from '../../src/store/cluster.ts';
import { SeqConflictError } from '../../src/store/store-errors.ts';
import { instancesPerTest } from './support/postgres-instances.ts';

// Several instances sharing one database: each test opens two or more stores on a fresh one.
const instances = instancesPerTest();

const CLAIMER = fileURLToPath(new URL('./support/claim-until-killed.ts', import.meta.url));
const SERVER_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** Resolves with the first stdout line of the child matching `pattern`; rejects if it exits. */
function lineOf(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  let stderr = '';
  child.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
  return new Promise((resolve, reject) => {
    let pending = '';
    child.stdout?.on('data', (data: Buffer) => {
      pending += data.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = pattern.exec(line);
        if (match) resolve(match);
      }
    });
    child.on('exit', (how) => reject(new Error(`the child exited (${how}) early:\n${stderr}`)));
  });
}

/** A command as a tab sends it (a person's message without the server's stamp). */
function command(text: string): CommandInput {
  const { at: _at, ...input } = userMessage(text);
  return input;
}

describe('two instances appending to one conversation', () => {
  it('race for the same seq: exactly one wins, the other is refused, the log holds one entry', async () => {
    const a = await instances.open();
    const b = await instances.open();
    await a.conversations.create({ id: 'c1', createdAt: 1_000 });
    const heardByA: LogEntry[] = [];
    const heardByB: LogEntry[] = [];
    a.log.onAppended((entries) => heardByA.push(...entries));
    b.log.onAppended((entries) => heardByB.push(...entries));
    // Round after round, both take the next seq at once.
    for (let seq = 1; seq <= 20; seq++) {
      const outcomes = await Promise.allSettled(
        [a, b].map((store, i) =>
          store.log.append({
            conversationId: 'c1',
            seq,
            event: seq === 1 ? userMessage(`first from ${i}`) : started(seq),
            at: 2_000 + seq,
          }),
        ),
      );
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const lost = outcomes.flatMap((outcome) =>
        outcome.status === 'rejected' ? [outcome.reason] : [],
      );
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(SeqConflictError);
      expect(lost[0]).toMatchObject({ conversationId: 'c1', seq, lastSeq: seq });
    }
    const entries = await a.log.read('c1');
    expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // Each instance announced only what it committed; together, the log.
    const byseq = (x: LogEntry, y: LogEntry) => x.seq - y.seq;
    expect([...heardByA, ...heardByB].sort(byseq)).toEqual(entries);
    // One title: the message that won.
    const first = entries[0]!.event;
    expect(await b.conversations.get('c1')).toMatchObject({
      lastSeq: 20,
      title: first.type === 'user.message' ? first.text : 'not a message',
    });
  });

  it('another instance’s commits are told to the followers (onLogChanged), not to the writer', async () => {
    const a = await instances.open();
    const b = await instances.open();
    await a.conversations.create({ id: 'c1', createdAt: 1_000 });
    await a.conversations.create({ id: 'c2', createdAt: 1_000 });
    const heardByA: [string, number][] = [];
    const heardByB: [string, number][] = [];
    a.cluster.onLogChanged((id, lastSeq) => heardByA.push([id, lastSeq]));
    b.cluster.onLogChanged((id, lastSeq) => heardByB.push([id, lastSeq]));
    await a.log.appendBatch([
      { conversationId: 'c1', seq: 1, event: userMessage('hi'), at: 2_000 },
      { conversationId: 'c1', seq: 2, event: started(1), at: 2_000 },
    ]);
    await vi.waitFor(() => expect(heardByB).toEqual([['c1', 2]]));
    // B's own commit reaches B's session before B's append resolves, and A's after A's own
    // would have: once A hears B's, it would have heard its own.
    await b.log.append({ conversationId: 'c2', seq: 1, event: userMessage('yo'), at: 2_001 });
    await vi.waitFor(() => expect(heardByA).toEqual([['c2', 1]]));
    expect(heardByB).toEqual([['c1', 2]]);
    // What was announced is in the log for the follower to read.
    expect((await b.log.read('c1')).map((entry) => entry.seq)).toEqual([1, 2]);
  });

  it('the conversations one instance creates or titles are announced to every instance', async () => {
    const a = await instances.open();
    const b = await instances.open();
    const heardByB: string[] = [];
    b.conversations.onChanged((ids) => heardByB.push(...ids));
    await a.conversations.create({ id: 'c1', createdAt: 1_000 });
    await vi.waitFor(() => expect(heardByB).toEqual(['c1']));
    await a.log.append({ conversationId: 'c1', seq: 1, event: userMessage('Title'), at: 2_000 });
    await vi.waitFor(() => expect(heardByB).toEqual(['c1', 'c1']));
    expect(await b.conversations.get('c1')).toMatchObject({ title: 'Title', lastSeq: 1 });
  });
});

describe('claims', () => {
  it('are exclusive between instances, recorded for the others, and freed by release', async () => {
    const a = await instances.open();
    const b = await instances.open();
    expect(a.cluster.instanceId).not.toBe(b.cluster.instanceId);
    expect(await b.cluster.ownerOf('c1')).toBeNull();
    expect(await a.cluster.claim('c1')).toBe(true);
    expect(await a.cluster.claim('c1')).toBe(true); // already its own
    expect(await b.cluster.claim('c1')).toBe(false);
    expect(await b.cluster.ownerOf('c1')).toBe(a.cluster.instanceId);
    // Another conversation is another lock.
    expect(await b.cluster.claim('c2')).toBe(true);
    expect(await a.cluster.ownerOf('c2')).toBe(b.cluster.instanceId);

    await a.cluster.release('c1');
    expect(await b.cluster.ownerOf('c1')).toBeNull();
    expect(await b.cluster.claim('c1')).toBe(true);
    expect(await a.cluster.claim('c1')).toBe(false);
    expect(await a.cluster.ownerOf('c1')).toBe(b.cluster.instanceId);
    // Releasing what it does not own changes nothing.
    await a.cluster.release('c1');
    expect(await a.cluster.claim('c1')).toBe(false);
    expect(await a.cluster.ownerOf('c1')).toBe(b.cluster.instanceId);
  });

  it('end with the store: a closed instance’s conversations can be claimed', async () => {
    const a = await instances.open();
    const b = await instances.open();
    expect(await a.cluster.claim('c1')).toBe(true);
    await a.close();
    expect(await b.cluster.claim('c1')).toBe(true);
  });

  it('of a process killed with SIGKILL are free for another instance as soon as its session ends', async () => {
    const b = await instances.open();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CLAIMER, instances.database.url, 'c1'],
      { cwd: SERVER_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise((resolve) => child.on('exit', (_, signal) => resolve(signal)));
    try {
      const [, killedId] = await lineOf(child, /^claimed (\S+)$/);
      expect(await b.cluster.claim('c1')).toBe(false);
      expect(await b.cluster.ownerOf('c1')).toBe(killedId);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      // The server notices the closed connection and ends the session, locks and all.
      await vi.waitFor(async () => expect(await b.cluster.claim('c1')).toBe(true), {
        timeout: 5_000,
        interval: 25,
      });
      expect(await b.cluster.ownerOf('c1')).toBe(b.cluster.instanceId);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('relay', () => {
  it('passes a command to its owner and brings the outcome back, leaving no row behind', async () => {
    const owner = await instances.open();
    const sender = await instances.open();
    const served: [string, CommandInput][] = [];
    owner.cluster.serve(async (conversationId, input) => {
      served.push([conversationId, input]);
      return { status: 'accepted', seq: 7 };
    });
    const input = command('relay me');
    const outcome = await sender.cluster.relay(owner.cluster.instanceId, 'c1', input, 5_000);
    expect(outcome).toEqual({ status: 'accepted', seq: 7 } satisfies RelayedOutcome);
    expect(served).toEqual([['c1', input]]);
    expect((await instances.database.query('SELECT * FROM relayed_commands')).rows).toEqual([]);
  });

  it('brings back a refusal, and a handler’s failure as one', async () => {
    const owner = await instances.open();
    const sender = await instances.open();
    let fail = false;
    owner.cluster.serve(async () => {
      if (fail) throw new Error('the actor is gone');
      return { status: 'rejected', code: 'command_rejected', message: 'not now' };
    });
    const send = () => sender.cluster.relay(owner.cluster.instanceId, 'c1', command('x'), 5_000);
    expect(await send()).toEqual({
      status: 'rejected',
      code: 'command_rejected',
      message: 'not now',
    });
    fail = true;
    expect(await send()).toEqual({
      status: 'rejected',
      code: 'internal',
      message: 'the actor is gone',
    });
  });

  it('resolves with null when the owner does not answer in time, and cleans up', async () => {
    const silent = await instances.open(); // serves nothing
    const sender = await instances.open();
    expect(await sender.cluster.relay(silent.cluster.instanceId, 'c1', command('x'), 200)).toBe(
      null,
    );
    expect(await sender.cluster.relay('nobody-at-all', 'c1', command('y'), 200)).toBe(null);
    expect((await instances.database.query('SELECT * FROM relayed_commands')).rows).toEqual([]);
  });
});
