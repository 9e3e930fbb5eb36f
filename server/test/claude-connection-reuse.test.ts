// A finished answer leaves Claude's connection open for the next request, on both providers: the
// turn's end stops the Claude actor right after `message_stop`, a few bytes before the body
// ends, and that stop must not cut the connection before those bytes are read (a new connection
// costs a TCP and a TLS handshake). The emulator holds each body's end until the turn has been
// stopped, as a slow network would, so the stop always comes first.
import type { FactEvent } from '@tollgate/machines';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildClaudeRequest } from '../src/claude/claude-request.ts';
import { streamAssistantTurn } from '../src/claude/stream-assistant-turn.ts';
import type { ClaudeEmulator } from './claude-emulator/claude-emulator.ts';
import { type StreamScript, textAnswer } from './claude-emulator/scripted-response.ts';
import { BEDROCK_ENV, startClaudeOnEmulator } from './claude-turn-harness.ts';

let emulator: ClaudeEmulator;
afterEach(async () => emulator?.close());

const PROVIDERS = [
  { name: 'the Anthropic API', env: {} },
  { name: 'Bedrock', env: BEDROCK_ENV },
];

/** An answer whose every event is sent, and whose body ends only on `release()`. */
const heldAtItsEnd = (text: string): StreamScript => ({
  ...textAnswer(text),
  holdAfterEvents: Number.MAX_SAFE_INTEGER,
});

describe.each(PROVIDERS)('on $name', ({ env }) => {
  async function start() {
    const started = await startClaudeOnEmulator(env);
    emulator = started.emulator;
    const { settings, client } = started;
    const request = buildClaudeRequest(settings, [], []);
    const params = { ...request, messages: [{ role: 'user' as const, content: 'Hi' }] };
    const facts: FactEvent[] = [];
    /** One turn, stopped as the machine stops it: when its completion arrives. */
    const turn = (n: number, onCompleted: () => void, drainMs?: number) => {
      const stop = new AbortController();
      const emit = (fact: FactEvent) => {
        facts.push(fact);
        if (fact.type !== 'assistant.completed') return;
        stop.abort();
        onCompleted();
      };
      const logger = pino({ level: 'silent' });
      return streamAssistantTurn({
        client,
        params,
        turn: n,
        signal: stop.signal,
        emit,
        logger,
        drainMs,
      });
    };
    return { turn, facts };
  }

  it('a turn stopped by its own completion reads the answer to its end, and the next turn reuses the connection', async () => {
    const { turn, facts } = await start();
    emulator.enqueue(heldAtItsEnd('First answer.'), heldAtItsEnd('Second answer.'));

    await turn(1, () => emulator.release());
    await turn(2, () => emulator.release());

    expect(facts.flatMap((f) => (f.type === 'assistant.text_delta' ? [f.text] : [])).join('')).toBe(
      'First answer.Second answer.',
    );
    expect(facts.filter((f) => f.type === 'assistant.failed')).toEqual([]);
    expect(emulator.requests.map((r) => [r.status, r.clientAborted, r.connection])).toEqual([
      [200, false, 1],
      [200, false, 1],
    ]);
  });

  it('a stopped turn whose body does not end closes the connection after the drain time, quietly', async () => {
    const { turn, facts } = await start();
    emulator.enqueue(heldAtItsEnd('Never ends.'));

    await turn(1, () => {}, 20);
    await emulator.waitForClose(1);

    expect(facts.map((f) => f.type)).toContain('assistant.completed');
    expect(facts.filter((f) => f.type === 'assistant.failed')).toEqual([]);
    expect(emulator.requests[0]?.clientAborted).toBe(true);
  });
});
