// The Claude emulator in a process of its own, driven over IPC by a benchmark, so that writing
// thousands of SSE events a second competes with neither the clients nor the server measured.
// Messages in: { type: 'enqueue', id, scripts } | { type: 'clock', id } | { type: 'stats', id }.
// Each is answered with the same id once done; `stats` with the statuses of the requests since the
// last one, and when each arrived (`receivedAt`, stampClock).
import {
  type ScriptedResponse,
  startClaudeEmulator,
} from '../test/claude-emulator/claude-emulator.ts';
import { stampClock } from '../test/claude-emulator/stamp-deltas.ts';

type Request =
  | { type: 'enqueue'; id: number; scripts: ScriptedResponse[] }
  | { type: 'clock'; id: number }
  | { type: 'stats'; id: number };

const emulator = await startClaudeEmulator();
let counted = 0;
const reply = (message: object) => process.send?.(message);

process.on('message', (message: Request) => {
  switch (message.type) {
    case 'enqueue':
      emulator.enqueue(...message.scripts);
      reply({ id: message.id });
      return;
    case 'clock':
      reply({ id: message.id, now: stampClock() });
      return;
    case 'stats': {
      // The statuses of the requests since the last `stats`, and when each had arrived.
      const statuses: Record<string, number> = {};
      const receivedAt: number[] = [];
      for (const request of emulator.requests.slice(counted)) {
        statuses[request.status] = (statuses[request.status] ?? 0) + 1;
        receivedAt.push(request.receivedAt);
      }
      counted = emulator.requests.length;
      reply({ id: message.id, statuses, receivedAt });
      return;
    }
  }
});
process.on('disconnect', () => {
  void emulator.close().then(() => process.exit(0));
});
reply({ ready: emulator.url });
