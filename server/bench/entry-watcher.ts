// A plain WebSocket client in a process of its own, following one conversation: how long the
// server and the loopback take to deliver entries of one event type, with no page involved and
// no other work in the process (the benchmark's own process also runs Playwright, which receives
// every WebSocket frame of the page over CDP and would delay this client's event loop).
// Usage: node --import tsx entry-watcher.ts <ws url> <conversation id> <event type>. Prints
// `ready` once subscribed, a line per completed answer (`completed`), and, when its stdin ends,
// the latencies (ms, Date.now() minus each entry's `at`) as one JSON line.
import WebSocket from 'ws';

const [url, conversationId, type] = process.argv.slice(2);
if (!url || !conversationId || !type) throw new Error('usage: entry-watcher <ws url> <id> <type>');
const latencies: number[] = [];
const socket = new WebSocket(url);
socket.on('message', (data) => {
  const now = Date.now();
  const message = JSON.parse(String(data));
  if (message.type !== 'entries') return;
  for (const entry of message.entries) {
    if (entry.event.type === type) latencies.push(now - entry.at);
    if (entry.event.type === 'assistant.completed') process.stdout.write('completed\n');
  }
});
socket.on('open', () => {
  socket.send(JSON.stringify({ type: 'subscribe', conversationId, afterSeq: 1_000_000 }));
  process.stdout.write('ready\n');
});
process.stdin.resume();
process.stdin.on('end', () => {
  process.stdout.write(`${JSON.stringify(latencies)}\n`);
  socket.close();
  process.exit(0);
});
