// Run as a child process by durability.test.ts: `node --import tsx append-until-killed.ts <file>
// <conversationId> <count|forever>`. It appends one event at a time, as the server does, reports
// on stdout only after an append has returned, and never closes the store: the test kills it with
// SIGKILL, so nothing a clean shutdown would do can help.
import {
  started,
  textDelta,
  userMessage,
} from '../../../../machines/src/test-support/event-builders.ts';
import { openSqliteEventStore } from '../../../src/store/sqlite-event-store.ts';

const [file, conversationId, mode] = process.argv.slice(2);
if (!file || !conversationId || !mode)
  throw new Error('usage: <file> <conversationId> <count|forever>');

const store = openSqliteEventStore(file);
store.createConversation({ id: conversationId, createdAt: Date.now() });
const event = (seq: number) =>
  seq === 1
    ? userMessage('Stream me something')
    : seq === 2
      ? started(1)
      : textDelta(1, `d${seq} `);

if (mode === 'forever') {
  // Bounded (a second or two of appends) so a test that is slow to kill it, or fails to, cannot
  // leave it filling the disk.
  for (let seq = 1; seq <= 50_000; seq++) {
    store.append(conversationId, event(seq), Date.now());
    process.stdout.write(`appended ${seq}\n`);
  }
} else {
  const count = Number(mode);
  for (let seq = 1; seq <= count; seq++) store.append(conversationId, event(seq), Date.now());
  process.stdout.write(`appended ${count}\n`);
}
// Stay alive, store open, until killed.
setInterval(() => {}, 60_000);
