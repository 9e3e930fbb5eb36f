// npm run bench: per-chunk latency from the moment mcp-tools has a chunk on disk to the moment the
// hub's onChunk callback runs in the server, over stdio, for a 1 MB file in 4 KB chunks; and the
// write's throughput. Prints figures; asserts nothing.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtInToolServer } from '../src/mcp/built-in-tool-server.ts';
import { createMcpHub } from '../src/mcp/mcp-hub.ts';
import { silentLogger } from '../test/silent-logger.ts';
import { percentile } from './percentile.ts';

const RUNS = 5;
const SIZE = 1024 * 1024;
const workspaceDir = await mkdtemp(join(tmpdir(), 'tollgate-bench-'));
const hub = createMcpHub({
  servers: [builtInToolServer({ workspaceDir, chunkBytes: 4096, chunkDelayMs: 0 })],
  logger: silentLogger(),
});
await hub.start();
const now = () => performance.timeOrigin + performance.now();
const line = 'The quick brown fox jumps over the lazy dog, 0123456789.\n';
const content = line.repeat(Math.ceil(SIZE / line.length)).slice(0, SIZE);

const latencies: number[] = [];
const throughputs: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const started = now();
  let chunks = 0;
  await hub.callTool(
    'write_file',
    { path: `bench/run-${run}.txt`, content, overwrite: true },
    {
      onChunk: (chunk) => {
        chunks += 1;
        if (chunk.writtenAt !== undefined) latencies.push(now() - chunk.writtenAt);
      },
    },
  );
  const seconds = (now() - started) / 1000;
  throughputs.push(SIZE / (1024 * 1024) / seconds);
  if (chunks !== 256) throw new Error(`expected 256 chunks, got ${chunks}`);
}
await hub.close();

console.log(
  `MCP chunk latency over stdio (${RUNS} runs × 1 MiB in 4 KiB chunks = ${latencies.length} chunks)`,
);
console.log(
  `  tool write → hub onChunk  p50 ${percentile(latencies, 50).toFixed(2)} ms  p99 ${percentile(latencies, 99).toFixed(2)} ms  max ${Math.max(...latencies).toFixed(2)} ms`,
);
console.log(
  `  write throughput          median ${percentile(throughputs, 50).toFixed(1)} MiB/s (min ${Math.min(...throughputs).toFixed(1)}, max ${Math.max(...throughputs).toFixed(1)})`,
);
