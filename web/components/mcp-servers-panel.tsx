import type { McpServerState, McpServerStatus, ToolInfo } from '@tollgate/machines';
import { useId } from 'react';
import { useSecondsUntil } from '../hooks/use-seconds-until.ts';
import type { MessageKey } from '../lib/i18n/en.ts';
import { SidePanel } from './side-panel.tsx';
import type { Ui } from './ui.ts';

export const MCP_PANEL_ID = 'mcp-servers-panel';
const MCP_BUTTON_ID = 'mcp-servers-button';

const STATE_TEXT: Record<McpServerState, MessageKey> = {
  starting: 'mcpStateStarting',
  ready: 'mcpStateReady',
  failed: 'mcpStateFailed',
  restarting: 'mcpStateRestarting',
};

const STATE_STYLE: Record<McpServerState, string> = {
  starting: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-100',
  ready: 'bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-100',
  failed: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-100',
  restarting: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-100',
};

/** The header's way to the panel; it counts the failed servers, so a failure is seen at once. */
export function McpServersButton({
  ui,
  servers,
  open,
  onToggle,
}: {
  ui: Ui;
  servers: readonly McpServerStatus[];
  open: boolean;
  onToggle: () => void;
}) {
  const { t } = ui;
  const failed = servers.filter((server) => server.state === 'failed').length;
  return (
    <button
      id={MCP_BUTTON_ID}
      type="button"
      aria-expanded={open}
      aria-controls={MCP_PANEL_ID}
      // The count is drawn as a badge; said in words, so the name tells a failure too.
      aria-label={
        failed > 0 ? `${t('mcpServers')} (${t('mcpServersFailed', { count: failed })})` : undefined
      }
      onClick={onToggle}
      className="flex items-center gap-1.5 rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
    >
      {t('mcpServers')}
      {failed > 0 ? (
        <span
          aria-hidden="true"
          className="rounded-full bg-red-700 px-1.5 text-xs font-semibold text-white"
        >
          {failed}
        </span>
      ) : null}
    </button>
  );
}

/**
 * Every MCP server the instance runs, live: its state, its tools, and for a failed one why, the
 * last lines of its stderr and a Restart button. A side panel, not a modal: the chat stays usable
 * beside it, and an approval dialog covers it like the rest of the page. Escape closes it.
 */
export function McpServersPanel({
  ui,
  servers,
  tools,
  canRestart,
  onRestart,
  onClose,
}: {
  ui: Ui;
  servers: readonly McpServerStatus[];
  tools: readonly ToolInfo[];
  canRestart: boolean;
  onRestart: (server: string) => void;
  onClose: () => void;
}) {
  const { t } = ui;
  return (
    <SidePanel
      ui={ui}
      id={MCP_PANEL_ID}
      openerId={MCP_BUTTON_ID}
      title={t('mcpServers')}
      intro={t('mcpServersIntro')}
      onClose={onClose}
    >
      {servers.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">{t('mcpNoServers')}</p>
      ) : null}
      <ul className="flex flex-col gap-3">
        {servers.map((server) => (
          <li key={server.name}>
            <McpServerView
              ui={ui}
              server={server}
              tools={tools.filter((tool) => tool.server === server.name)}
              canRestart={canRestart}
              onRestart={onRestart}
            />
          </li>
        ))}
      </ul>
    </SidePanel>
  );
}

/** One server, a region named by the server's name. */
function McpServerView({
  ui,
  server,
  tools,
  canRestart,
  onRestart,
}: {
  ui: Ui;
  server: McpServerStatus;
  tools: readonly ToolInfo[];
  canRestart: boolean;
  onRestart: (server: string) => void;
}) {
  const { t } = ui;
  const nameId = useId();
  const failed = server.state === 'failed';
  const seconds = useSecondsUntil(failed ? server.retryAt : null);
  // While it restarts, why it failed stays in view until it is ready.
  const showFailure = failed || server.state === 'restarting';
  return (
    <section
      aria-labelledby={nameId}
      data-state={server.state}
      className="flex flex-col gap-2 rounded-xl border border-slate-200 p-3 dark:border-slate-700"
    >
      <header className="flex flex-wrap items-center gap-2">
        <h3 id={nameId} className="break-all font-mono font-semibold">
          {server.name}
        </h3>
        <span
          aria-live="polite"
          className={`ml-auto rounded-full px-2 py-0.5 text-xs font-medium ${STATE_STYLE[server.state]}`}
        >
          {t(STATE_TEXT[server.state])}
        </span>
      </header>
      {showFailure && server.error ? (
        <p className="text-sm text-red-800 dark:text-red-200">{server.error}</p>
      ) : null}
      {showFailure && server.stderr.length > 0 ? (
        <figure className="flex flex-col gap-1">
          <figcaption className="text-xs text-slate-600 dark:text-slate-400">
            {t('mcpStderr')}
          </figcaption>
          <pre className="max-h-48 overflow-auto whitespace-pre rounded-lg bg-slate-950 p-2 font-mono text-xs text-slate-100">
            {server.stderr.join('\n')}
          </pre>
        </figure>
      ) : null}
      {failed ? (
        <div className="flex flex-wrap items-center gap-2">
          <button
            type="button"
            disabled={!canRestart}
            onClick={() => onRestart(server.name)}
            className="rounded-lg bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 disabled:cursor-not-allowed disabled:bg-slate-400 dark:disabled:bg-slate-700"
          >
            {t('restart')}
          </button>
          {seconds !== null && seconds > 0 ? (
            <span className="text-xs text-slate-600 dark:text-slate-400">
              {seconds < 120
                ? t('mcpNextTry', { seconds })
                : t('mcpNextTryMinutes', { minutes: Math.ceil(seconds / 60) })}
            </span>
          ) : null}
        </div>
      ) : null}
      <div className="flex flex-col gap-1">
        <h4 className="text-sm font-medium">{t('mcpTools')}</h4>
        {tools.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">{t('mcpNoTools')}</p>
        ) : (
          <ul aria-label={t('mcpTools')} className="flex flex-wrap gap-1.5">
            {tools.map((tool) => (
              <li
                key={tool.name}
                title={tool.description}
                className="rounded-md bg-slate-100 px-1.5 py-0.5 font-mono text-xs dark:bg-slate-800"
              >
                {tool.name}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
