import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatedServerPerTest, type ServerDirs } from './emulated-server.ts';
import {
  awaitingApproval,
  chunksOf,
  mirrorOf,
  notes,
  say,
  textDeltasOf,
  turnCompleted,
  writeCall,
} from './flow-scripts.ts';

const kit = emulatedServerPerTest();
const start = (extra: Record<string, string> = {}, dirs?: ServerDirs) =>
  kit.start({ WRITE_CHUNK_BYTES: '256', ...extra }, dirs);
const client = (url?: string) => kit.client(url);

describe('the server over WebSocket', () => {
  it('runs the approve flow: the file on disk equals the chunks every client saw', async () => {
    const { dirs } = await start();
    kit.emulator.enqueue(writeCall('toolu_w1', 'notes/a.md', notes), say('Your notes are saved.'));
    const a = await client();
    const id = await a.createConversation();
    await a.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Save my notes' });
    await awaitingApproval(a, id);
    expect(a.entries(id).some((e) => e.event.type === 'tool.started')).toBe(false);
    await expect(stat(join(dirs.workspaceDir, 'notes/a.md'))).rejects.toThrow();

    a.command(id, { type: 'tool.approve', toolUseId: 'toolu_w1', scope: 'once' });
    await turnCompleted(a, id, 2);
    const entries = a.entries(id);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    const chunks = chunksOf(entries, 'toolu_w1');
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.join('')).toBe(await readFile(join(dirs.workspaceDir, 'notes/a.md'), 'utf8'));
    expect(chunks.join('')).toBe(notes);
    expect(mirrorOf(entries).value).toBe('idle');
    expect(kit.emulator.requests.map((r) => [r.status, r.violations.length])).toEqual([
      [200, 0],
      [200, 0],
    ]);
  });

  it('runs the deny flow: nothing is written, and Claude explains', async () => {
    const { dirs } = await start();
    kit.emulator.enqueue(
      writeCall('toolu_d1', 'secret.md', 'x'),
      say('Understood, I will not write that file.'),
    );
    const a = await client();
    const id = await a.createConversation();
    await a.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Write it' });
    await a.waitForEntry(id, (e) => e.event.type === 'assistant.completed', 'the tool request');
    a.command(id, { type: 'tool.deny', toolUseId: 'toolu_d1', reason: 'Not today' });
    await turnCompleted(a, id, 2);
    expect(a.entries(id).some((e) => e.event.type.startsWith('tool.started'))).toBe(false);
    await expect(stat(join(dirs.workspaceDir, 'secret.md'))).rejects.toThrow();
    const sent = kit.emulator.requests[1]?.body as {
      messages: { content: { is_error?: boolean; content?: string }[] }[];
    };
    expect(sent.messages.at(-1)?.content[0]).toMatchObject({ is_error: true });
    expect(sent.messages.at(-1)?.content[0]?.content).toContain('Not today');
  });

  it('tells every connection about a new conversation, then about the title its first message gives it', async () => {
    await start();
    kit.emulator.enqueue(say('Hello.'));
    const a = await client();
    const b = await client();
    const id = await a.createConversation();
    await b.waitForMessage('conversations_updated', (m) =>
      m.conversations.some((c) => c.id === id && c.title === null),
    );
    await a.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Plan the week' });
    const titled = await b.waitForMessage('conversations_updated', (m) =>
      m.conversations.some((c) => c.id === id && c.title !== null),
    );
    expect(titled.conversations.find((c) => c.id === id)).toMatchObject({
      title: 'Plan the week',
      lastSeq: expect.any(Number),
    });
  });

  it('refuses a command before writing it: the log and its last seq do not move', async () => {
    await start();
    kit.emulator.enqueue(writeCall('toolu_x1', 'x.md', 'x'), say('Done.'));
    const a = await client();
    const id = await a.createConversation();
    await a.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Write x.md' });
    await awaitingApproval(a, id);
    const before = a.entries(id).length;
    const unknown = a.command(id, { type: 'tool.approve', toolUseId: 'toolu_nope', scope: 'once' });
    const early = a.command(id, { type: 'user.message', text: 'Are you there?' });
    expect(await a.waitForMessage('error', (m) => m.commandId === unknown)).toMatchObject({
      code: 'command_rejected',
      conversationId: id,
      message: expect.stringMatching(/No tool call toolu_nope/),
    });
    expect(await a.waitForMessage('error', (m) => m.commandId === early)).toMatchObject({
      code: 'command_rejected',
      message: expect.stringMatching(/decision/),
    });
    // A fresh client, as a new tab would, sees the same last seq and no trace of either command.
    const b = await client();
    const subscribed = await b.subscribe(id);
    expect(subscribed.lastSeq).toBe(before);
    expect(b.entries(id).map((e) => e.seq)).toEqual(a.entries(id).map((e) => e.seq));
    expect(JSON.stringify(b.entries(id))).not.toMatch(/toolu_nope|Are you there/);

    a.command(id, { type: 'tool.approve', toolUseId: 'toolu_x1', scope: 'once' });
    await turnCompleted(a, id, 2);
    const second = a.command(id, { type: 'tool.deny', toolUseId: 'toolu_x1' });
    expect(await a.waitForMessage('error', (m) => m.commandId === second)).toMatchObject({
      code: 'command_rejected',
      message: expect.stringMatching(/already decided/),
    });
    const c = await client();
    expect((await c.subscribe(id)).lastSeq).toBe(a.entries(id).length);
  });

  it('sends every file chunk and every text delta as a message of its own', async () => {
    // No delay between chunks: the tool's pipe brings them in bursts, which the server must not
    // group. (Small chunks keep Claude's tool input, streamed a few characters per delta, short.)
    const { dirs } = await start({ WRITE_CHUNK_BYTES: '64', WRITE_CHUNK_DELAY_MS: '0' });
    const line = 'A line of the report, long enough.\n';
    const report = line.repeat(Math.ceil((16 * 1024) / line.length)).slice(0, 16 * 1024);
    const answer = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    kit.emulator.enqueue(writeCall('toolu_big', 'report.txt', report), { ...say(answer), seed: 7 });
    const a = await client();
    const id = await a.createConversation();
    await a.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Write the report' });
    await turnCompleted(a, id, 1);
    a.command(id, { type: 'tool.approve', toolUseId: 'toolu_big', scope: 'once' });
    await turnCompleted(a, id, 2);

    const live = a.received.flatMap((m) => (m.type === 'entries' ? [m.entries] : []));
    expect(live.length).toBe(a.entries(id).length);
    expect(live.every((entries) => entries.length === 1)).toBe(true);
    const chunks = chunksOf(a.entries(id), 'toolu_big');
    expect(chunks).toHaveLength(256);
    expect(chunks.join('')).toBe(await readFile(join(dirs.workspaceDir, 'report.txt'), 'utf8'));
    expect(textDeltasOf(a.entries(id), 2).join('')).toBe(answer);
    expect(textDeltasOf(a.entries(id), 2).length).toBeGreaterThan(20);
  });

  it('keeps two clients on one conversation in step; the first decision wins', async () => {
    await start();
    kit.emulator.enqueue(writeCall('toolu_t1', 'two.md', 'both'), say('Done.'));
    const a = await client();
    const b = await client();
    const id = await a.createConversation();
    await a.subscribe(id);
    await b.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Write two.md' });
    await awaitingApproval(b, id); // B sees the request
    b.command(id, { type: 'tool.approve', toolUseId: 'toolu_t1', scope: 'once' });
    const late = a.command(id, { type: 'tool.approve', toolUseId: 'toolu_t1', scope: 'always' });
    const refusal = await a.waitForMessage('error', (m) => m.commandId === late);
    expect(refusal).toMatchObject({
      code: 'command_rejected',
      message: expect.stringMatching(/already decided/),
    });
    await turnCompleted(a, id, 2);
    await turnCompleted(b, id, 2);
    expect(b.entries(id)).toEqual(a.entries(id));
    expect(a.entries(id).filter((e) => e.event.type === 'tool.started')).toHaveLength(1);
  });

  it('resumes a reconnecting client mid-stream and mid-tool with no gap and no duplicate', async () => {
    const { dirs } = await start({ WRITE_CHUNK_BYTES: '64', WRITE_CHUNK_DELAY_MS: '10' });
    kit.emulator.enqueue(
      { ...writeCall('toolu_r1', 'long.md', notes), eventDelayMs: 5, seed: 4 },
      { ...say('All written, chunk after chunk.'), eventDelayMs: 5 },
    );
    const a = await client();
    const id = await a.createConversation();
    await a.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Write long.md' });
    // Drop mid-stream, after some deltas but before the end of the turn.
    await a.waitForEntry(
      id,
      (e) => e.event.type === 'assistant.tool_input_delta' && e.event.partialJson !== '',
      'input streaming',
    );
    const firstPart = [...a.entries(id)];
    a.close();
    const b = await client();
    await b.subscribe(id, firstPart.at(-1)?.seq ?? 0);
    await b.waitFor(
      () =>
        mirrorOf([...firstPart, ...b.entries(id)]).matches('awaitingApproval') ? true : undefined,
      'approval',
    );
    b.command(id, { type: 'tool.approve', toolUseId: 'toolu_r1', scope: 'once' });
    // Drop again mid-tool, after a few chunks.
    await b.waitFor(
      () => (chunksOf(b.entries(id), 'toolu_r1').length >= 3 ? true : undefined),
      'three chunks',
    );
    const secondPart = [...firstPart, ...b.entries(id)];
    b.close();
    const c = await client();
    await c.subscribe(id, secondPart.at(-1)?.seq ?? 0);
    await turnCompleted(c, id, 2);
    const all = [...secondPart, ...c.entries(id)];
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    expect(chunksOf(all, 'toolu_r1').join('')).toBe(
      await readFile(join(dirs.workspaceDir, 'long.md'), 'utf8'),
    );
  });

  it('after kill -9 during an approval, restarts with the approval pending and runs the tool exactly once', async () => {
    const { dirs } = await start();
    kit.emulator.enqueue(writeCall('toolu_k1', 'once.md', 'exactly once'), say('Written once.'));
    const a = await client();
    const id = await a.createConversation();
    await a.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Write once.md' });
    await awaitingApproval(a, id);
    expect(await kit.server.kill('SIGKILL')).toBe('SIGKILL');

    await start({}, dirs);
    const b = await client();
    await b.subscribe(id);
    expect(mirrorOf(b.entries(id)).matches('awaitingApproval')).toBe(true);
    b.command(id, { type: 'tool.approve', toolUseId: 'toolu_k1', scope: 'once' });
    await turnCompleted(b, id, 2);
    expect(b.entries(id).filter((e) => e.event.type === 'tool.started')).toHaveLength(1);
    expect(await readFile(join(dirs.workspaceDir, 'once.md'), 'utf8')).toBe('exactly once');
  });

  it('after kill -9 mid-stream, marks the turn interrupted, and a retry succeeds', async () => {
    const { dirs } = await start();
    kit.emulator.enqueue({ ...say('This answer is cut by a crash.'), holdAfterEvents: 4 });
    const a = await client();
    const id = await a.createConversation();
    await a.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Hello' });
    await a.waitForEntry(id, (e) => e.event.type === 'assistant.text_delta', 'a delta');
    await kit.server.kill('SIGKILL');
    kit.emulator.release();

    await start({}, dirs);
    const b = await client();
    await b.subscribe(id);
    const failed = b.entries(id).find((e) => e.event.type === 'assistant.failed');
    expect(failed?.event).toMatchObject({ kind: 'interrupted', retryable: true });
    kit.emulator.enqueue(say('Here is the full answer.'));
    b.command(id, { type: 'turn.retry' });
    await b.waitForEntry(id, (e) => e.event.type === 'assistant.completed', 'the retried turn');
    expect(mirrorOf(b.entries(id)).value).toBe('idle');
  });

  it('answers bad input with an error and keeps serving', async () => {
    await start();
    const a = await client();
    const id = await a.createConversation();
    await a.subscribe(id);
    a.sendRaw('{ not json');
    expect(await a.waitForMessage('error', (m) => m.code === 'bad_json')).toBeDefined();
    a.send({ type: 'format_disk' });
    expect(await a.waitForMessage('error', (m) => m.code === 'bad_message')).toBeDefined();
    a.sendRaw(JSON.stringify({ type: 'list_conversations', pad: 'x'.repeat(300 * 1024) }));
    expect(await a.waitForMessage('error', (m) => m.code === 'too_large')).toBeDefined();
    // Within the schema's length but over the frame limit: refused unread, so the refusal cannot
    // name the command (the page never sends one: it checks the size first), and not logged.
    const errors = () => a.received.filter((m) => m.type === 'error').length;
    const before = errors();
    const huge = a.command(id, { type: 'user.message', text: '漢'.repeat(100_000) });
    await a.waitFor(() => (errors() > before ? true : undefined), 'the refusal');
    expect(a.received.filter((m) => m.type === 'error').at(-1)).toEqual({
      type: 'error',
      code: 'too_large',
      message: 'Messages are limited to 262144 bytes.',
    });
    expect(JSON.stringify(a.entries(id))).not.toContain(huge);
    const approval = a.command(id, {
      type: 'tool.approve',
      toolUseId: 'toolu_nope',
      scope: 'once',
    });
    expect(await a.waitForMessage('error', (m) => m.commandId === approval)).toMatchObject({
      code: 'command_rejected',
      message: expect.stringMatching(/No tool call toolu_nope/),
    });
    a.send({ type: 'subscribe', conversationId: 'c_missing', afterSeq: 0 });
    expect(await a.waitForMessage('error', (m) => m.code === 'unknown_conversation')).toBeDefined();
    a.send({
      type: 'command',
      conversationId: id,
      command: { type: 'user.message', commandId: 'x', text: '' },
    });
    expect(
      await a.waitForMessage('error', (m) => m.code === 'bad_message' && /text/.test(m.message)),
    ).toBeDefined();
    // A frame far past the limit is cut at the protocol level; the server itself is unharmed.
    const b = await client();
    b.sendRaw(Buffer.alloc(2 * 1024 * 1024, 0x61));
    await b.waitFor(() => b.closed() ?? undefined, 'the oversized connection to close');
    a.send({ type: 'list_conversations' });
    const list = await a.waitForMessage('conversations');
    expect(list.conversations.map((c) => c.id)).toContain(id);
  });

  it('refuses foreign origins and missing tokens with a coded error', async () => {
    await start({ APP_TOKEN: 'let-me-in' });
    const denied = await kit.connect();
    expect(await denied.waitForMessage('error')).toMatchObject({ code: 'unauthorized' });
    await denied.waitFor(() => denied.closed() ?? undefined, 'close');
    expect(denied.closed()?.code).toBe(4401);
    const foreign = await kit.connect(`${kit.server.wsUrl}?token=let-me-in`, {
      origin: 'http://evil.example',
    });
    expect(await foreign.waitForMessage('error')).toMatchObject({ code: 'forbidden_origin' });
    const allowed = await client(`${kit.server.wsUrl}?token=let-me-in`);
    expect(allowed.received[0]).toMatchObject({ type: 'hello' });
  });

  it('starts without Claude credentials and says what to configure', async () => {
    await kit.start({}, undefined, { claude: false });
    const a = await client();
    const hello = a.received[0];
    expect(hello).toMatchObject({
      type: 'hello',
      claude: { status: 'unconfigured', message: expect.stringMatching(/ANTHROPIC_API_KEY/) },
    });
    expect(JSON.stringify(hello)).not.toContain('sk-ant');
    const id = await a.createConversation();
    await a.subscribe(id);
    a.command(id, { type: 'user.message', text: 'Hello?' });
    const failed = await a.waitForEntry(
      id,
      (e) => e.event.type === 'assistant.failed',
      'the failure',
    );
    expect(failed.event).toMatchObject({ message: expect.stringMatching(/ANTHROPIC_API_KEY/) });
  });
});
