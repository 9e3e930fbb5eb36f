// The emulator's successful streams, judged by the official SDK itself: whatever the emulator
// sends, `stream.finalMessage()` must assemble exactly the scripted Message.

import type { ClientOptions } from '@anthropic-ai/sdk';
import { stopReasonSchema } from '@tollgate/machines';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ClaudeEmulator, type ScriptBlock, startClaudeEmulator } from './claude-emulator.ts';
import {
  API_VERSION,
  baseParams,
  expectedMessage,
  SDK_TRANSPORTS,
  sdkClient,
} from './emulator-test-kit.ts';

let emulator: ClaudeEmulator;
beforeEach(async () => {
  emulator = await startClaudeEmulator();
});
afterEach(async () => {
  await emulator.close();
});

/** Everything a naive JSON splitter trips on: escapes, control characters, non-BMP characters. */
const TRICKY_INPUT = {
  path: 'src/"quoted"\\dir/naïve file.ts',
  content: 'line1\nline2\r\n\ttab "q" \\ back \u0000 nul \u001f unit \u2028 sep \\u0041 literal',
  unicode: 'héllo wörld — 日本語 🎉👍🏽 𝄞 end',
  nested: { list: [1, -2.5e-3, true, false, null, 'x'], empty: {}, emptyList: [] },
  'key "with" quotes\\': '🙂',
};

const USAGE = { input_tokens: 42, output_tokens: 17 };

describe.each(SDK_TRANSPORTS)('over $name', ({ fetch: transport }) => {
  const sdk = (options: ClientOptions = {}) =>
    sdkClient(emulator, { fetch: transport, ...options });

  describe('claude emulator streams, read by @anthropic-ai/sdk', () => {
    it('streams a text answer and the SDK sends Bearer auth and anthropic-version', async () => {
      emulator.enqueue({
        kind: 'stream',
        blocks: [{ type: 'text', text: 'Hello there! Ça va? 👋🏽 日本' }],
        stopReason: 'end_turn',
        usage: { ...USAGE, cache_read_input_tokens: 5, cache_creation_input_tokens: 3 },
      });
      const stream = sdk().messages.stream(baseParams());
      const texts: string[] = [];
      stream.on('text', (delta) => texts.push(delta));

      const message = await stream.finalMessage();

      expect(message).toEqual(
        expectedMessage([{ type: 'text', text: 'Hello there! Ça va? 👋🏽 日本' }], 'end_turn', {
          ...USAGE,
          cache_read_input_tokens: 5,
          cache_creation_input_tokens: 3,
        }),
      );
      expect(texts.length).toBeGreaterThan(1);
      const [request] = emulator.requests;
      expect(request?.headers.authorization).toBe('Bearer test-key');
      expect(request?.headers['x-api-key']).toBeUndefined();
      expect(request?.headers['anthropic-version']).toBe(API_VERSION);
      expect(request).toMatchObject({ method: 'POST', path: '/v1/messages', status: 200 });
      expect(request?.body).toMatchObject({ ...baseParams(), stream: true });
      expect(stream.request_id).toMatch(/^req_/);
    });

    it('reassembles tool input split inside keys, strings and escapes, at many seeds', async () => {
      const client = sdk();
      for (let seed = 1; seed <= 40; seed++) {
        const block: ScriptBlock = {
          type: 'tool_use',
          id: `toolu_${seed}`,
          name: 'write_file',
          input: TRICKY_INPUT,
        };
        emulator.enqueue({
          kind: 'stream',
          blocks: [block],
          stopReason: 'tool_use',
          seed,
          usage: USAGE,
        });
        const message = await client.messages.stream(baseParams()).finalMessage();
        expect(message, `seed ${seed}`).toEqual(expectedMessage([block], 'tool_use', USAGE));
      }
    });

    it('keeps partial-input snapshots parseable while the tool input streams', async () => {
      const client = sdk();
      for (let seed = 100; seed < 120; seed++) {
        emulator.enqueue({
          kind: 'stream',
          blocks: [{ type: 'tool_use', id: 'toolu_live', name: 'write_file', input: TRICKY_INPUT }],
          stopReason: 'tool_use',
          seed,
        });
        const stream = client.messages.stream(baseParams());
        const fragments: string[] = [];
        let lastSnapshot: unknown;
        stream.on('inputJson', (partialJson, snapshot) => {
          fragments.push(partialJson);
          lastSnapshot = snapshot;
        });
        await stream.finalMessage();
        expect(fragments[0]).toBe('');
        expect(fragments.join('')).toBe(JSON.stringify(TRICKY_INPUT));
        expect(lastSnapshot, `seed ${seed}`).toEqual(TRICKY_INPUT);
      }
    });

    it('streams two parallel tool_use blocks one after the other', async () => {
      const blocks: ScriptBlock[] = [
        { type: 'text', text: 'Reading both files.' },
        { type: 'tool_use', id: 'toolu_a', name: 'read_file', input: { path: 'a.txt' } },
        {
          type: 'tool_use',
          id: 'toolu_b',
          name: 'read_file',
          input: { path: 'b/ü.txt', lines: [1, 2] },
        },
      ];
      emulator.enqueue({ kind: 'stream', blocks, stopReason: 'tool_use', seed: 7, usage: USAGE });
      const stream = sdk().messages.stream(baseParams());
      const finished: string[] = [];
      stream.on('contentBlock', (block) => finished.push(block.type));

      expect(await stream.finalMessage()).toEqual(expectedMessage(blocks, 'tool_use', USAGE));
      expect(finished).toEqual(['text', 'tool_use', 'tool_use']);
    });

    it('streams thinking with its signature, then text and tool_use', async () => {
      const blocks: ScriptBlock[] = [
        {
          type: 'thinking',
          thinking: 'The user wants a file.\nLet me "think" 🤔…',
          signature: 'sig_Ab12==',
        },
        { type: 'text', text: 'I will write it.' },
        {
          type: 'tool_use',
          id: 'toolu_w',
          name: 'write_file',
          input: { path: 'x', content: 'y\n' },
        },
      ];
      emulator.enqueue({ kind: 'stream', blocks, stopReason: 'tool_use', seed: 3, usage: USAGE });
      const stream = sdk().messages.stream(
        baseParams({ max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 } }),
      );
      const signatures: string[] = [];
      stream.on('signature', (signature) => signatures.push(signature));

      expect(await stream.finalMessage()).toEqual(expectedMessage(blocks, 'tool_use', USAGE));
      expect(signatures).toEqual(['sig_Ab12==']);
    });

    it('streams redacted_thinking whole, without deltas', async () => {
      const blocks: ScriptBlock[] = [
        { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIw' },
        { type: 'text', text: 'Done.' },
      ];
      emulator.enqueue({ kind: 'stream', blocks, stopReason: 'end_turn', usage: USAGE });
      const stream = sdk().messages.stream(baseParams({ thinking: { type: 'adaptive' } }));

      expect(await stream.finalMessage()).toEqual(expectedMessage(blocks, 'end_turn', USAGE));
    });

    it.each(stopReasonSchema.options)('reports stop_reason %s', async (stopReason) => {
      const blocks: ScriptBlock[] = [{ type: 'text', text: `stopped: ${stopReason}` }];
      emulator.enqueue({ kind: 'stream', blocks, stopReason, usage: USAGE });

      const message = await sdk().messages.stream(baseParams()).finalMessage();

      expect(message).toEqual(expectedMessage(blocks, stopReason, USAGE));
    });

    it('passes the ping after the first block start and spaced-out events', async () => {
      const blocks: ScriptBlock[] = [{ type: 'text', text: 'slow and steady' }];
      emulator.enqueue({
        kind: 'stream',
        blocks,
        stopReason: 'end_turn',
        usage: USAGE,
        eventDelayMs: 2,
      });
      const stream = sdk().messages.stream(baseParams());
      const seen: string[] = [];
      // `streamEvent` shows what the SDK kept: it drops `ping` before anything else sees it.
      stream.on('streamEvent', (event) => seen.push(event.type));

      expect(await stream.finalMessage()).toEqual(expectedMessage(blocks, 'end_turn', USAGE));
      expect(seen[0]).toBe('message_start');
      expect(seen).not.toContain('ping');
    });

    it('answers an empty content list with a ping and still produces a Message', async () => {
      emulator.enqueue({ kind: 'stream', blocks: [], stopReason: 'end_turn', usage: USAGE });

      const message = await sdk().messages.stream(baseParams()).finalMessage();

      expect(message).toEqual(expectedMessage([], 'end_turn', USAGE));
    });

    it('answers a non-streaming create() with the whole Message', async () => {
      const blocks: ScriptBlock[] = [
        { type: 'text', text: 'whole' },
        { type: 'tool_use', id: 'toolu_n', name: 'read_file', input: { path: 'n' } },
      ];
      emulator.enqueue({ kind: 'stream', blocks, stopReason: 'tool_use', usage: USAGE });

      const message = await sdk().messages.create(baseParams());

      const { parsed_output: _, ...expected } = expectedMessage(blocks, 'tool_use', USAGE);
      expect(message).toEqual(expected);
      expect(message._request_id).toMatch(/^req_/);
      expect(emulator.requests[0]?.body).not.toHaveProperty('stream');
    });
  });
});
