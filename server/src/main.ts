import { loadDotEnv, readAppConfig } from './app-config.ts';
import { createWebHandler } from './http/web-handler.ts';
import { createLogger } from './logger.ts';
import { StartupError } from './startup-error.ts';
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
const webHandler = createWebHandler({ logger });
const server = await startTollgateServer({
  config,
  logger,
  ...(webHandler ? { webHandler } : {}),
}).catch((error: unknown) => {
  if (!(error instanceof StartupError)) throw error;
  process.stderr.write(`Tollgate cannot start:\n  - ${error.message}\n`);
  process.exit(1);
});
const claude = config.claude;
process.stdout.write(`\nTollgate is running at ${server.url}\n`);
if (claude.status === 'unconfigured')
  process.stdout.write(`Claude is not configured yet: ${claude.missing}\n`);
if (config.appToken) process.stdout.write(`Open ${server.url}/?token=<APP_TOKEN>\n`);
if (config.anonymousOnNetwork) {
  // Loud on purpose: this is the one setting that hands the Claude key and the file tools to
  // whoever reaches the port.
  const line = '!'.repeat(78);
  process.stderr.write(
    `\n${line}\nWARNING: ALLOW_ANONYMOUS=1 and HOST=${config.host}: anyone who can reach port ${server.port}\ncan chat with your Claude key and approve file writes in ${config.workspaceDir}.\nSet APP_TOKEN (docs/access.md) unless something in front of Tollgate controls who gets in.\n${line}\n\n`,
  );
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down');
    void server.close().then(() => process.exit(0));
  });
}
