// Run as a child process by the cluster tests (postgres-cluster.test.ts):
// `node --import tsx claim-until-killed.ts <url> <conversationId>`. It opens the PostgreSQL
// store, claims the conversation, reports `claimed <instanceId>` (or `refused`) on stdout, and
// never closes the store: the test kills it with SIGKILL, as a crashed instance dies.
import { openPostgresStore } from '../../../src/store/postgres-store.ts';

const [url, conversationId] = process.argv.slice(2);
if (!url || !conversationId) throw new Error('usage: <url> <conversationId>');

const { cluster } = await openPostgresStore(url);
const claimed = await cluster.claim(conversationId);
process.stdout.write(claimed ? `claimed ${cluster.instanceId}\n` : 'refused\n');

// Stay alive, session open, until killed.
setInterval(() => {}, 60_000);
