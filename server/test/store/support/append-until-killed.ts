// Run as a child process by the log contract's kill tests (sqlite-implementation.ts,
// postgres-implementation.ts):
// `node --import tsx append-until-killed.ts <sqlite|postgres> <file|url> <conversationId> <count|forever>`.
// It appends one event at a time, as the server does, reports `appended <seq>` on stdout for each
// entry the change feed announces (so only once it is committed), and never closes the store: the
// test kills it with SIGKILL, so nothing a clean shutdown would do can help.
import {
  started,
  textDelta,
  userMessage,
} from '../../../../machines/src/test-support/event-builders.ts';
import { openPostgresStore } from '../../../src/store/postgres-store.ts';
import { openSqliteStore } from '../../../src/store/sqlite-store.ts';
import type { Store } from '../../../src/store/store.ts';

const [kind, target, conversationId, mode] = process.argv.slice(2);
if (!target || !conversationId || !mode || (kind !== 'sqlite' && kind !== 'postgres')) {
  throw new Error('usage: <sqlite|postgres> <file|url> <conversationId> <count|forever>');
}

const store: Store = kind === 'sqlite' ? openSqliteStore(target) : await openPostgresStore(target);
const { log, conversations } = store;
await conversations.create({ id: conversationId, createdAt: Date.now() });

const event = (seq: number) =>
  seq === 1
    ? userMessage('Stream me something')
    : seq === 2
      ? started(1)
      : textDelta(1, `d${seq} `);
const append = (seq: number) =>
  log.append({ conversationId, seq, event: event(seq), at: Date.now() });

log.onAppended((entries) => {
  for (const entry of entries) process.stdout.write(`appended ${entry.seq}\n`);
});

// Bounded (a few seconds of appends) so a test that is slow to kill it, or fails to, cannot
// leave it filling the disk.
const count = mode === 'forever' ? 50_000 : Number(mode);
for (let seq = 1; seq <= count; seq++) await append(seq);

// Stay alive, store open, until killed.
setInterval(() => {}, 60_000);
