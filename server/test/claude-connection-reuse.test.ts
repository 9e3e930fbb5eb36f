// A finished answer leaves Claude's connection open for the next request, on both providers:
// the turn's end stops the Claude actor, and that stop must not cut the connection before the
// answer's last bytes are read (a new connection costs a TCP and a TLS handshake per turn).
import type { FactEvent } from '@tollgate/machines';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createClaudeClient } from '../src/claude/claude-client.ts';
import { readClaudeConfig } from '../src/claude/claude-config.ts';
import { buildClaudeRequest } from '../src/claude/claude-request.ts';
import { streamAssistantTurn } from '../src/claude/stream-assistant-turn.ts';
import { type ClaudeEmulator, startClaudeEmulator } from './claude-emulator/claude-emulator.ts';
import { BEDROCK_MODEL } from './claude-emulator/emulator-test-kit.ts';
import { textAnswer } from './claude-emulator/scripted-response.ts';

let emulator: ClaudeEmulator;
afterEach(async () => emulator?.close());

const PROVIDERS: { name: string; env: Record<string, string> }[] = [
  { name: 'the Anthropic API', env: {} },
  {
    name: 'Bedrock',
    env: {
      CLAUDE_PROVIDER: 'bedrock',
      CLAUDE_MODEL: BEDROCK_MODEL,
      AWS_REGION: 'us-east-1',
      AWS_BEARER_TOKEN_BEDROCK: 'test-bedrock-key',
    },
  },
];

describe.each(PROVIDERS)('on $name', ({ env }) => {
  it('a turn stopped by its own completion reads the answer to its end, and the next turn reuses the connection', async () => {
    emulator = await startClaudeEmulator();
    const config = readClaudeConfig({
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: emulator.url,
      ANTHROPIC_BEDROCK_BASE_URL: emulator.url,
      ...env,
    });
    if (config.status !== 'ready') throw new Error(`test config: ${JSON.stringify(config)}`);
    const client = await createClaudeClient(config.settings);
    const logger = pino({ level: 'silent' });
    emulator.enqueue(textAnswer('First answer.'), textAnswer('Second answer.'));

    const texts: string[] = [];
    for (const turn of [1, 2]) {
      // As in the server: the completion ends the turn, which stops the Claude actor (Stop's way).
      const stop = new AbortController();
      const emit = (fact: FactEvent) => {
        if (fact.type === 'assistant.text_delta') texts.push(fact.text);
        if (fact.type === 'assistant.completed') stop.abort();
      };
      const request = buildClaudeRequest(config.settings, [], []);
      const params = { ...request, messages: [{ role: 'user' as const, content: 'Hi' }] };
      await streamAssistantTurn({ client, params, turn, signal: stop.signal, emit, logger });
      expect(stop.signal.aborted).toBe(true);
    }

    expect(texts.join('')).toBe('First answer.Second answer.');
    expect(emulator.requests.map((r) => [r.status, r.clientAborted, r.connection])).toEqual([
      [200, false, 1],
      [200, false, 1],
    ]);
  });
});
