// npx tsx server/bench/messages-per-entry.bench.ts: how many WebSocket messages the real server
// sends per log entry while live, where a grouping server would send fewer: a 1 MiB file written
// in 4 KiB chunks with no delay (256 chunks, read from the tool's pipe in bursts), and 2,000 text
// deltas 1 ms apart. The target is exactly 1.00 for both. Prints figures; asserts nothing.
import { awaitingApproval } from '../test/server/flow-scripts.ts';
import { serverDirs, startServerProcess } from '../test/server/server-process.ts';
import { connectClient, type WsTestClient } from '../test/server/ws-test-client.ts';
import { stampedText, startSseResponder, writeFileCall } from './sse-responder.ts';

const FILE_BYTES = 1024 * 1024;
const CHUNK_BYTES = 4096;
const DELTAS = 2_000;
const DELTA_DELAY_MS = 1;

/** Live messages that carried entries of this type, and how many such entries they carried. */
function count(client: WsTestClient, type: string) {
  let messages = 0;
  let entries = 0;
  for (const message of client.received) {
    if (message.type !== 'entries') continue;
    const own = message.entries.filter((entry) => entry.event.type === type).length;
    if (own === 0) continue;
    messages += 1;
    entries += own;
  }
  return { messages, entries, most: mostPerMessage(client, type) };
}

function mostPerMessage(client: WsTestClient, type: string) {
  let most = 0;
  for (const message of client.received) {
    if (message.type !== 'entries') continue;
    most = Math.max(most, message.entries.filter((entry) => entry.event.type === type).length);
  }
  return most;
}

function report(what: string, figures: ReturnType<typeof count>) {
  const ratio = figures.messages / figures.entries;
  console.log(
    `  ${what.padEnd(34)} ${String(figures.entries).padStart(5)} entries in ${String(figures.messages).padStart(5)} messages: ${ratio.toFixed(2)} messages per entry (at most ${figures.most} in one)  ${ratio === 1 ? 'PASS' : 'FAIL'} (target 1.00)`,
  );
}

// The SSE responder, not the emulator: the emulator cuts tool input into 1–7 character deltas,
// which would make the file's call a quarter of a million entries of its own.
const claude = await startSseResponder();
const dirs = await serverDirs();
const server = await startServerProcess({
  ANTHROPIC_API_KEY: 'sk-ant-bench',
  ANTHROPIC_BASE_URL: claude.url,
  DATA_DIR: dirs.dataDir,
  WORKSPACE_DIR: dirs.workspaceDir,
  WRITE_CHUNK_BYTES: String(CHUNK_BYTES),
  WRITE_CHUNK_DELAY_MS: '0',
});
try {
  const line = 'The quick brown fox jumps over the lazy dog, 0123456789.\n';
  const content = line.repeat(Math.ceil(FILE_BYTES / line.length)).slice(0, FILE_BYTES);
  claude.enqueue(
    { events: writeFileCall('toolu_bench', 'bench/one-mib.txt', content), delayMs: 0 },
    { events: stampedText(DELTAS, 40), delayMs: DELTA_DELAY_MS, stamp: true },
  );
  const client = await connectClient(server.wsUrl);
  await client.waitForMessage('hello');
  const id = await client.createConversation();
  await client.subscribe(id);
  client.command(id, { type: 'user.message', text: 'Write one MiB, then talk' });
  await awaitingApproval(client, id);
  client.command(id, { type: 'tool.approve', toolUseId: 'toolu_bench', scope: 'once' });
  await client.waitForEntry(
    id,
    (entry) => entry.event.type === 'assistant.completed' && entry.event.turn === 2,
    'the answer after the file',
    120_000,
  );
  console.log(`Messages per live entry (${new Date().toISOString().slice(0, 10)})`);
  report(`1 MiB in ${CHUNK_BYTES / 1024} KiB chunks, no delay`, count(client, 'tool.chunk'));
  report(`${DELTAS} text deltas ${DELTA_DELAY_MS} ms apart`, count(client, 'assistant.text_delta'));
  client.close();
} finally {
  await server.kill('SIGTERM');
  await claude.close();
}
