// The baseline the server's forwarding is measured against: for each WebSocket client, on its
// first message, fetch one SSE stream from the Claude emulator and send each SSE event's data as
// one WebSocket frame. Nothing else: no SDK, no validation, no log, no state machine.
// Run as `node --import tsx plain-forwarder.ts` with EMULATOR_URL set; prints `port <n>`.
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

const emulatorUrl = process.env.EMULATOR_URL;
if (!emulatorUrl) throw new Error('EMULATOR_URL is required');

const body = JSON.stringify({
  model: 'claude-sonnet-5-5',
  max_tokens: 1024,
  stream: true,
  messages: [{ role: 'user', content: 'Go' }],
});

async function forward(send: (data: string) => void, signal: AbortSignal): Promise<void> {
  const response = await fetch(`${emulatorUrl}/v1/messages`, {
    method: 'POST',
    headers: {
      authorization: 'Bearer sk-ant-bench',
      'anthropic-version': '2026-10-21',
      'content-type': 'application/json',
    },
    body,
    signal,
  });
  if (!response.ok || !response.body) throw new Error(`emulator answered ${response.status}`);
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const bytes of response.body) {
    buffered += decoder.decode(bytes, { stream: true });
    for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = event
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
        .join('\n');
      if (data) send(data);
    }
  }
}

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('connection', (socket) => {
  const controller = new AbortController();
  socket.once('message', () => {
    forward((data) => socket.send(data), controller.signal).catch((error: unknown) => {
      if (!controller.signal.aborted) console.error('plain-forwarder:', error);
      socket.close();
    });
  });
  socket.on('close', () => controller.abort());
});
wss.on('listening', () => {
  process.stdout.write(`port ${(wss.address() as AddressInfo).port}\n`);
});
