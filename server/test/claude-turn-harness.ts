import { Writable } from 'node:stream';
import {
  type ConversationEvent,
  conversationMachine,
  type FactEvent,
  type ToolRequest,
} from '@tollgate/machines';
import pino from 'pino';
import { createActor, fromCallback, waitFor } from 'xstate';
import { createClaudeActor } from '../src/claude/claude-actor.ts';
import { createClaudeClient } from '../src/claude/claude-client.ts';
import { readClaudeConfig } from '../src/claude/claude-config.ts';
import type { ClaudeToolDefinition } from '../src/claude/claude-request.ts';
import { type ClaudeEmulator, startClaudeEmulator } from './claude-emulator/claude-emulator.ts';
import { BEDROCK_MODEL } from './claude-emulator/emulator-test-kit.ts';

export const WRITE_FILE_TOOL: ClaudeToolDefinition = {
  name: 'write_file',
  description: 'Create or overwrite a file in the workspace.',
  input_schema: {
    type: 'object',
    properties: { path: { type: 'string' }, content: { type: 'string' } },
    required: ['path', 'content'],
  },
  eager_input_streaming: true,
};

/** The settings that make the Claude client speak Bedrock (to the emulator, which speaks it too). */
export const BEDROCK_ENV: Record<string, string> = {
  CLAUDE_PROVIDER: 'bedrock',
  CLAUDE_MODEL: BEDROCK_MODEL,
  AWS_REGION: 'us-east-1',
  AWS_BEARER_TOKEN_BEDROCK: 'test-bedrock-key',
};

/**
 * A fresh emulator, and the real Claude settings and SDK client pointed at it; `env` adds to or
 * overrides the settings (BEDROCK_ENV for Bedrock).
 */
export async function startClaudeOnEmulator(env: Record<string, string> = {}) {
  const emulator: ClaudeEmulator = await startClaudeEmulator();
  const config = readClaudeConfig({
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: emulator.url,
    // Read only with CLAUDE_PROVIDER=bedrock: the same emulator speaks Bedrock's wire.
    ANTHROPIC_BEDROCK_BASE_URL: emulator.url,
    ...env,
  });
  if (config.status !== 'ready') throw new Error(`test config: ${JSON.stringify(config)}`);
  return { emulator, settings: config.settings, client: await createClaudeClient(config.settings) };
}

/**
 * A conversation actor wired to the real Claude adapter and the official SDK, pointed at the
 * emulator. The tool actor stands in for the MCP hub: it reports one chunk and the content length.
 * Every fact goes through `dispatch`, as in the server, and is kept in `facts`.
 */
export async function startClaudeConversation(env: Record<string, string> = {}) {
  const { emulator, settings, client } = await startClaudeOnEmulator(env);
  const logLines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk, _encoding, done) {
        logLines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  const facts: FactEvent[] = [];
  const dispatch = (fact: FactEvent) => {
    facts.push(fact);
    actor.send(fact);
  };
  const toolRuns: ToolRequest[] = [];
  const machine = conversationMachine.provide({
    actors: {
      claude: createClaudeActor({
        client,
        settings,
        tools: () => [WRITE_FILE_TOOL],
        dispatchFor: () => dispatch,
        logger,
      }),
      tool: fromCallback<ConversationEvent, ToolRequest>(({ input }) => {
        toolRuns.push(input);
        queueMicrotask(() => {
          const content = String(input.input.content ?? '');
          dispatch({ type: 'tool.started', toolUseId: input.toolUseId, server: 'test' });
          dispatch({
            type: 'tool.chunk',
            toolUseId: input.toolUseId,
            index: 0,
            text: content,
            bytes: Buffer.byteLength(content),
            total: Buffer.byteLength(content),
          });
          dispatch({
            type: 'tool.completed',
            toolUseId: input.toolUseId,
            content: `Wrote ${input.input.path} (${Buffer.byteLength(content)} bytes).`,
            isError: false,
          });
        });
      }),
    },
  });
  const actor = createActor(machine).start();
  let commands = 0;
  return {
    emulator,
    actor,
    facts,
    toolRuns,
    logLines,
    send(command: Record<string, unknown> & { type: string }) {
      actor.send({ commandId: `cmd_${++commands}`, ...command } as ConversationEvent);
    },
    say(text: string) {
      actor.send({ type: 'user.message', commandId: `cmd_${++commands}`, text, at: 0 });
    },
    until(state: string) {
      return waitFor(actor, (snapshot) => snapshot.matches(state as never), { timeout: 15_000 });
    },
    async close() {
      actor.stop();
      await emulator.close();
    },
  };
}

/** The text of the conversation's assistant items, as a person reads them. */
export function assistantTexts(actor: { getSnapshot(): { context: { items: unknown[] } } }) {
  return actor.getSnapshot().context.items.flatMap((item) => {
    const i = item as { kind: string; blocks?: { type: string; text?: string }[] };
    return i.kind === 'assistant'
      ? [(i.blocks ?? []).flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('')]
      : [];
  });
}
