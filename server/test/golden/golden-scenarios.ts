// The conversations recorded as golden logs: each driven through the real server the way a person
// would, waiting for the log entries each step needs (never for time to pass).

import type { StreamScript } from '../claude-emulator/claude-emulator.ts';
import {
  awaitingApproval,
  chunksOf,
  notes,
  say,
  turnCompleted,
  writeCall,
} from '../server/flow-scripts.ts';
import type { WsTestClient } from '../server/ws-test-client.ts';
import type { GoldenRun } from './golden-run.ts';

export interface GoldenScenario {
  /** The file's name and the `scenario` field in it. */
  name: string;
  /** The state the recording must fold to; a run that ends elsewhere is not recorded. */
  endsIn: string;
  /** Server settings beyond the session's own (the write tool's chunking, for a long run). */
  env?: Record<string, string>;
  /** Drives the conversation to its end and returns its id. */
  drive(run: GoldenRun): Promise<string>;
}

const entryOfType = (c: WsTestClient, id: string, type: string) =>
  c.waitForEntry(id, (e) => e.event.type === type, `a ${type} entry`);

export const goldenScenarios: GoldenScenario[] = [
  {
    name: 'plain-answer',
    endsIn: 'idle',
    async drive(run) {
      run.emulator.enqueue({ ...say('Hello! Ask me anything about your files.'), seed: 11 });
      const { c, id } = await run.conversation();
      c.command(id, { type: 'user.message', text: 'Hello' });
      await turnCompleted(c, id, 1);
      return id;
    },
  },
  {
    name: 'approve',
    endsIn: 'idle',
    async drive(run) {
      run.emulator.enqueue(
        writeCall('toolu_w1', 'notes/a.md', notes),
        say('Your notes are saved.'),
      );
      const { c, id } = await run.conversation();
      c.command(id, { type: 'user.message', text: 'Save my notes' });
      await awaitingApproval(c, id);
      c.command(id, { type: 'tool.approve', toolUseId: 'toolu_w1', scope: 'once' });
      await turnCompleted(c, id, 2);
      return id;
    },
  },
  {
    name: 'deny-with-reason',
    endsIn: 'idle',
    async drive(run) {
      run.emulator.enqueue(
        writeCall('toolu_d1', 'secret.md', 'x'),
        say('Understood, I will not write that file. I can show you its text here instead.'),
      );
      const { c, id } = await run.conversation();
      c.command(id, { type: 'user.message', text: 'Write secret.md' });
      await awaitingApproval(c, id);
      c.command(id, { type: 'tool.deny', toolUseId: 'toolu_d1', reason: 'Not today' });
      await turnCompleted(c, id, 2);
      return id;
    },
  },
  {
    name: 'parallel-calls',
    endsIn: 'idle',
    async drive(run) {
      const twoCalls: StreamScript = {
        kind: 'stream',
        blocks: [
          { type: 'text', text: 'I will write both files.' },
          {
            type: 'tool_use',
            id: 'toolu_p1',
            name: 'write_file',
            input: { path: 'a.md', content: 'alpha' },
          },
          {
            type: 'tool_use',
            id: 'toolu_p2',
            name: 'write_file',
            input: { path: 'b.md', content: 'beta' },
          },
        ],
        stopReason: 'tool_use',
      };
      run.emulator.enqueue(twoCalls, say('a.md is written; b.md was refused, so I left it.'));
      const { c, id } = await run.conversation();
      c.command(id, { type: 'user.message', text: 'Write a.md and b.md' });
      await awaitingApproval(c, id);
      c.command(id, { type: 'tool.approve', toolUseId: 'toolu_p1', scope: 'once' });
      c.command(id, { type: 'tool.deny', toolUseId: 'toolu_p2', reason: 'Only a.md, please' });
      await turnCompleted(c, id, 2);
      return id;
    },
  },
  {
    name: 'always-allow-then-revoke',
    endsIn: 'idle',
    async drive(run) {
      run.emulator.enqueue(
        writeCall('toolu_a1', 'allow/one.md', 'first'),
        writeCall('toolu_a2', 'allow/two.md', 'second'),
        say('Both files are written.'),
      );
      const { c, id } = await run.conversation();
      c.command(id, { type: 'user.message', text: 'Write two files' });
      await awaitingApproval(c, id);
      c.command(id, { type: 'tool.approve', toolUseId: 'toolu_a1', scope: 'always' });
      // The second call runs by policy: nobody is asked, the turn after it just ends.
      await turnCompleted(c, id, 3);
      c.command(id, { type: 'policy.revoke', toolName: 'write_file' });
      await entryOfType(c, id, 'policy.revoke');
      run.emulator.enqueue(
        writeCall('toolu_a3', 'allow/three.md', 'third'),
        say('The third file is written.'),
      );
      c.command(id, { type: 'user.message', text: 'One more file' });
      // Revoked: the third call waits for a person again.
      await awaitingApproval(c, id);
      c.command(id, { type: 'tool.approve', toolUseId: 'toolu_a3', scope: 'once' });
      await turnCompleted(c, id, 5);
      return id;
    },
  },
  {
    name: 'stop-mid-stream',
    endsIn: 'idle',
    async drive(run) {
      // The emulator holds the answer after a few events, so Stop lands mid-stream every time.
      run.emulator.enqueue({
        ...say('This answer is stopped part of the way through.'),
        holdAfterEvents: 5,
      });
      const { c, id } = await run.conversation();
      c.command(id, { type: 'user.message', text: 'Tell me a long story' });
      await entryOfType(c, id, 'assistant.text_delta');
      c.command(id, { type: 'turn.stop' });
      await entryOfType(c, id, 'turn.stop');
      await run.emulator.waitForClose(1);
      return id;
    },
  },
  {
    name: 'stop-mid-tool',
    endsIn: 'idle',
    // Small chunks, slowly: a run of about 25 chunks over more than two seconds, stopped after 3.
    env: { WRITE_CHUNK_BYTES: '64', WRITE_CHUNK_DELAY_MS: '100' },
    async drive(run) {
      run.emulator.enqueue(writeCall('toolu_s1', 'long.md', notes));
      const { c, id } = await run.conversation();
      c.command(id, { type: 'user.message', text: 'Write long.md' });
      await awaitingApproval(c, id);
      c.command(id, { type: 'tool.approve', toolUseId: 'toolu_s1', scope: 'once' });
      await c.waitFor(
        () => (chunksOf(c.entries(id), 'toolu_s1').length >= 3 ? true : undefined),
        'three chunks',
      );
      c.command(id, { type: 'turn.stop' });
      await entryOfType(c, id, 'turn.stop');
      return id;
    },
  },
  {
    name: 'claude-error-then-retry',
    endsIn: 'idle',
    async drive(run) {
      run.emulator.enqueue(
        {
          ...say('A long answer that an overload breaks off part of the way through.'),
          errorAfterEvents: 6,
        },
        say('Here is the whole answer, this time without a break.'),
      );
      const { c, id } = await run.conversation();
      c.command(id, { type: 'user.message', text: 'Tell me' });
      await entryOfType(c, id, 'assistant.failed');
      c.command(id, { type: 'turn.retry' });
      await turnCompleted(c, id, 2);
      return id;
    },
  },
  {
    // Commands the machine refuses. The server before decide-before-append (0996332) wrote them
    // into the log and the machine ignored them; a log of that time must still fold the same.
    name: 'refused-commands',
    endsIn: 'idle',
    async drive(run) {
      run.emulator.enqueue(writeCall('toolu_r1', 'kept.md', 'kept'), say('kept.md is written.'));
      const { c, id } = await run.conversation();
      c.command(id, { type: 'user.message', text: 'Write kept.md' });
      await awaitingApproval(c, id);
      const refused = (command: Record<string, unknown>) => {
        const commandId = c.command(id, command);
        return c.waitForMessage('error', (m) => m.commandId === commandId);
      };
      await refused({ type: 'tool.approve', toolUseId: 'toolu_nope', scope: 'once' });
      await refused({ type: 'user.message', text: 'Are you there?' });
      await refused({ type: 'policy.revoke', toolName: 'write_file' });
      await refused({ type: 'turn.retry' });
      c.command(id, { type: 'tool.approve', toolUseId: 'toolu_r1', scope: 'once' });
      await refused({ type: 'tool.deny', toolUseId: 'toolu_r1', reason: 'Too late' });
      await turnCompleted(c, id, 2);
      return id;
    },
  },
  {
    name: 'restart-interrupted',
    endsIn: 'failed',
    async drive(run) {
      run.emulator.enqueue({ ...say('This answer is cut by a crash.'), holdAfterEvents: 4 });
      const { c, id } = await run.conversation();
      c.command(id, { type: 'user.message', text: 'Hello' });
      await entryOfType(c, id, 'assistant.text_delta');
      await run.kill();
      await run.start();
      // Opening the conversation again rebuilds it and marks the cut turn interrupted.
      const again = await run.client();
      await again.subscribe(id);
      await again.waitForEntry(
        id,
        (e) => e.event.type === 'assistant.failed' && e.event.kind === 'interrupted',
        'the interrupted turn',
      );
      return id;
    },
  },
];
