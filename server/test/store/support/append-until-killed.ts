// Run as a child process by the log contract's kill tests (sqlite-implementation.ts):
// `node --import tsx append-until-killed.ts <file> <conversationId> <count|forever>`. It appends
// one event at a time, as the server does, reports `appended <seq>` on stdout for each entry the
// change feed announces (so only once it is committed), and never closes the store: the test kills
// it with SIGKILL, so nothing a clean shutdown would do can help.
import {
  started,
  textDelta,
  userMessage,
} from '../../../../machines/src/test-support/event-builders.ts';
import { openSqliteStore } from '../../../src/store/sqlite-store.ts';

const [file, conversationId, mode] = process.argv.slice(2);
if (!file || !conversationId || !mode) {
  throw new Error('usage: <file> <conversationId> <count|forever>');
}

const { log, conversations } = openSqliteStore(file);
conversations.create({ id: conversationId, createdAt: Date.now() });
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

if (mode === 'forever') {
  // Bounded (a second or two of appends) so a test that is slow to kill it, or fails to, cannot
  // leave it filling the disk.
  for (let seq = 1; seq <= 50_000; seq++) append(seq);
} else {
  for (let seq = 1; seq <= Number(mode); seq++) append(seq);
}
// Stay alive, store open, until killed.
setInterval(() => {}, 60_000);
