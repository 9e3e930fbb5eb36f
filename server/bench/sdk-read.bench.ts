// npx tsx server/bench/sdk-read.bench.ts: what reading Claude's streams costs the server's
// process, per text delta, with 200 answers streaming at once (500 text deltas 20 ms apart each,
// as in server-forwarding.bench.ts). Three readers take turns, in rounds, so that a machine
// that slows down or speeds up weighs on each alike:
// - the SDK over the server's transport (node-http-fetch.ts), as the server reads Claude;
// - the SDK over Node's built-in fetch, its default;
// - a bare `node:http` reader that only counts the events: the floor under any SDK.
// CPU is this process's (all threads, process.cpuUsage) over a round, per text delta sent (the
// readers count events differently: the SDK leaves out pings). Prints; asserts nothing.
// BENCH_ROUNDS (default 2) sets the rounds.
import http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { createNodeHttpFetch } from '../src/claude/node-http-fetch.ts';
import { startEmulatorChild } from './emulator-child.ts';
import { machineDescription } from './proc-stats.ts';

const STREAMS = 200;
const DELTAS = 500;
const DELAY_MS = 20;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PARAMS = {
  model: 'claude-sonnet-5-5',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'Hello' }],
  stream: true as const,
};

const emulator = await startEmulatorChild();

/** Reads one streamed answer; returns how many SSE events it held. */
type Reader = () => Promise<number>;

function sdkReader(fetch: typeof globalThis.fetch | undefined): Reader {
  const client = new Anthropic({ apiKey: 'bench', baseURL: emulator.url, maxRetries: 0, fetch });
  return async () => {
    let events = 0;
    for await (const _event of await client.messages.create(PARAMS)) events++;
    return events;
  };
}

const agent = new http.Agent({ keepAlive: true });
const bareReader: Reader = () =>
  new Promise((resolve, reject) => {
    const body = JSON.stringify(PARAMS);
    const request = http.request(`${emulator.url}/v1/messages`, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-api-key': 'bench',
        'anthropic-version': '2023-06-01',
      },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      let events = 0;
      let endsWithNewline = false;
      response.on('data', (chunk: Buffer) => {
        // Each event ends with a blank line, which may fall across two chunks.
        if (endsWithNewline && chunk[0] === 0x0a) events++;
        for (let at = chunk.indexOf('\n\n'); at !== -1; at = chunk.indexOf('\n\n', at + 2)) {
          events++;
        }
        endsWithNewline = chunk.at(-1) === 0x0a;
      });
      response.on('end', () => resolve(events));
      response.on('error', reject);
    });
    request.end(body);
  });

const readers: [string, Reader][] = [
  ['SDK over the server transport', sdkReader(createNodeHttpFetch())],
  ["SDK over Node's fetch", sdkReader(undefined)],
  ['bare node:http reader', bareReader],
];

async function round(read: Reader) {
  await emulator.enqueueStamped(STREAMS, DELTAS, DELAY_MS);
  const before = process.cpuUsage();
  const counts = await Promise.all(Array.from({ length: STREAMS }, read));
  const used = process.cpuUsage(before);
  const events = counts.reduce((sum, count) => sum + count, 0);
  if (events < STREAMS * DELTAS)
    throw new Error(`read ${events} events, fewer than the deltas sent`);
  return (used.user + used.system) / (STREAMS * DELTAS);
}

console.log('Tollgate SDK read benchmark');
console.log(`Machine: ${machineDescription()}`);
console.log(
  `${STREAMS} answers at once, ${DELTAS} text deltas ${DELAY_MS} ms apart each, from the emulator in its own process`,
);
for (const [, read] of readers) await round(read); // warm-up: JIT, connection pools
const figures = new Map<string, number[]>(readers.map(([name]) => [name, []]));
for (let i = 0; i < ROUNDS; i++) {
  for (const [name, read] of readers) figures.get(name)?.push(await round(read));
}
console.log('\nCPU of this process per text delta (µs), one figure per round:');
for (const [name, values] of figures) {
  console.log(`  ${name.padEnd(32)} ${values.map((value) => value.toFixed(1)).join(', ')}`);
}
emulator.close();
