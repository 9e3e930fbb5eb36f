import type { ConversationSummary, ToolGrantInfo } from '@tollgate/machines';
import { SidePanel } from './side-panel.tsx';
import type { Ui } from './ui.ts';

export const POLICIES_PANEL_ID = 'policies-panel';
const POLICIES_BUTTON_ID = 'policies-button';

/** The header's way to the person's tool grants. */
export function PoliciesButton({
  ui,
  open,
  onToggle,
}: {
  ui: Ui;
  open: boolean;
  onToggle: () => void;
}) {
  return (
    <button
      id={POLICIES_BUTTON_ID}
      type="button"
      aria-expanded={open}
      aria-controls={POLICIES_PANEL_ID}
      onClick={onToggle}
      className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
    >
      {ui.t('policies')}
    </button>
  );
}

/**
 * Every grant of the person (docs/policies.md), "Always allow everywhere" and the "Always allow"s of
 * their conversations: the tool, its server, the scope (which conversation), when, and the decision
 * that made it (conversation and entry), each with Revoke; a revoked tool asks again from its next
 * call. A side panel like the MCP servers one; Escape closes it.
 */
export function PoliciesPanel({
  ui,
  grants,
  conversations,
  canRevoke,
  onRevoke,
  onClose,
}: {
  ui: Ui;
  grants: readonly ToolGrantInfo[];
  conversations: readonly ConversationSummary[] | null;
  canRevoke: boolean;
  onRevoke: (grantId: string) => void;
  onClose: () => void;
}) {
  const { t, locale } = ui;
  const titleOf = (conversationId: string) =>
    conversations?.find((conversation) => conversation.id === conversationId)?.title ??
    conversationId;
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <SidePanel
      ui={ui}
      id={POLICIES_PANEL_ID}
      openerId={POLICIES_BUTTON_ID}
      title={t('policies')}
      intro={t('policiesIntroAll')}
      onClose={onClose}
    >
      {grants.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">{t('policiesNoneAll')}</p>
      ) : (
        <ul aria-label={t('policiesGrants')} className="flex flex-col gap-3">
          {grants.map((grant) => (
            <li
              key={grant.id}
              aria-label={grant.toolName}
              className="flex flex-col gap-1 rounded-xl border border-slate-200 p-3 text-sm dark:border-slate-700"
            >
              <div className="flex flex-wrap items-center gap-2">
                <span className="break-all font-mono font-semibold">{grant.toolName}</span>
                <span className="text-slate-600 dark:text-slate-300">
                  {grant.server === null
                    ? t('policiesNoServer')
                    : t('policiesFromServer', { server: grant.server })}
                </span>
                {grant.scope === 'everywhere' ? (
                  <span className="ml-auto rounded-full bg-green-100 px-2 py-0.5 text-xs font-medium text-green-900 dark:bg-green-950 dark:text-green-100">
                    {t('policiesScopeEverywhere')}
                  </span>
                ) : (
                  <span className="ml-auto rounded-full bg-sky-100 px-2 py-0.5 text-xs font-medium text-sky-900 dark:bg-sky-950 dark:text-sky-100">
                    {t('policiesScopeConversation')}
                  </span>
                )}
              </div>
              <p className="text-slate-600 dark:text-slate-300">
                {t(grant.scope === 'everywhere' ? 'policiesGrantedBy' : 'policiesGrantedIn', {
                  when: when.format(grant.grantedAt),
                  conversation: titleOf(grant.conversationId),
                  seq: grant.seq,
                })}
              </p>
              <div>
                <button
                  type="button"
                  disabled={!canRevoke}
                  onClick={() => onRevoke(grant.id)}
                  aria-label={t('policiesRevokeTool', { tool: grant.toolName })}
                  className="rounded-md border border-slate-400 px-2 py-0.5 text-slate-800 hover:bg-slate-100 disabled:opacity-60 dark:border-slate-500 dark:text-slate-100 dark:hover:bg-slate-800"
                >
                  {t('revoke')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </SidePanel>
  );
}
