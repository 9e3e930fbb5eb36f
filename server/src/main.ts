import { loadDotEnv, readAppConfig } from './app-config.ts';
import { createWebHandler } from './http/web-handler.ts';
import { createLogger } from './logger.ts';
import { startTollgateServer } from './tollgate-server.ts';

// `npm start`: one process serving the chat page and the WebSocket on one port.
const cwd = process.env.TOLLGATE_ROOT ?? process.cwd();
loadDotEnv(cwd);
const result = readAppConfig(process.env, cwd);
if (!result.ok) {
  process.stderr.write(
    `Tollgate cannot start:\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`,
  );
  process.exit(1);
}
const { config } = result;
const logger = createLogger({ level: config.logLevel });
const webHandler = await createWebHandler({ logger });
const server = await startTollgateServer({ config, logger, ...(webHandler ? { webHandler } : {}) });
const claude = config.claude;
process.stdout.write(`\nTollgate is running at ${server.url}\n`);
if (claude.status === 'unconfigured')
  process.stdout.write(`Claude is not configured yet: ${claude.missing}\n`);
if (config.appToken) process.stdout.write(`Open ${server.url}/?token=<APP_TOKEN>\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down');
    void server.close().then(() => process.exit(0));
  });
}
