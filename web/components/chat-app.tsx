'use client';

import type { SearchResult } from '@tollgate/machines';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useConversationParam } from '../hooks/use-conversation-param.ts';
import { useLocale } from '../hooks/use-locale.ts';
import { useTransportState } from '../hooks/use-transport-state.ts';
import { runWhenIdle } from '../lib/idle-work.ts';
import { warmMarkdown } from '../lib/markdown-warm-up.ts';
import { socketUrl } from '../lib/socket-url.ts';
import { createTollgateClient, type TollgateClient } from '../lib/tollgate-client.ts';
import { AccountControls } from './account-controls.tsx';
import { ClaudeBanner } from './claude-banner.tsx';
import { ConnectionBanner } from './connection-banner.tsx';
import { ConnectionStatus } from './connection-status.tsx';
import { ConversationActions } from './conversation-actions.tsx';
import { ConversationList } from './conversation-list.tsx';
import { ConversationView } from './conversation-view.tsx';
import { EmptyConversation } from './empty-conversation.tsx';
import { InspectLink } from './inspector/inspect-link.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { McpServersButton, McpServersPanel } from './mcp-servers-panel.tsx';
import { NoticeList } from './notice-list.tsx';
import { PoliciesButton, PoliciesPanel } from './policies-panel.tsx';
import { APP_ROOT_ID, type Ui } from './ui.ts';
import { VersionBanner } from './version-banner.tsx';

/** The page: one connection client for its lifetime, and the layout around the conversation. */
export function ChatApp() {
  const [client, setClient] = useState<TollgateClient | null>(null);
  useEffect(() => {
    const created = createTollgateClient({
      url: socketUrl(window.location),
      isOnline: () => navigator.onLine,
    });
    const onOnline = () => created.reconnectNow();
    const onOffline = () => created.markOffline();
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    created.start();
    setClient(created);
    return () => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      created.stop();
    };
  }, []);
  // Warms the markdown parser in a long idle period, so Claude's first answer here does not pay
  // its cold first run.
  useEffect(() => runWhenIdle(warmMarkdown), []);
  return client === null ? null : <ChatLayout client={client} />;
}

function ChatLayout({ client }: { client: TollgateClient }) {
  const transport = useTransportState(client);
  const { locale, t, setLocale } = useLocale();
  const ui: Ui = useMemo(() => ({ t, locale }), [t, locale]);
  const [conversationId, selectConversation] = useConversationParam();
  const [listOpen, setListOpen] = useState(false);
  const [serversOpen, setServersOpen] = useState(false);
  const closeServers = useCallback(() => setServersOpen(false), []);
  const [policiesOpen, setPoliciesOpen] = useState(false);
  const closePolicies = useCallback(() => setPoliciesOpen(false), []);
  const [creating, setCreating] = useState(false);
  /** The message a search result opens its conversation at, until another is opened. */
  const [focus, setFocus] = useState<{ conversationId: string; anchor: string } | null>(null);
  // The client has stopped over a version mismatch: only a reload helps, so no Retry either.
  const halted = transport.versionMismatch?.pageWorks === false;

  useEffect(() => {
    client.follow(conversationId);
  }, [client, conversationId]);

  const select = useCallback(
    (id: string | null) => {
      selectConversation(id);
      setListOpen(false);
      setFocus(null);
    },
    [selectConversation],
  );
  const openResult = useCallback(
    (result: SearchResult) => {
      select(result.conversationId);
      if (result.anchor !== null) {
        setFocus({ conversationId: result.conversationId, anchor: result.anchor });
      }
    },
    [select],
  );
  const search = useCallback((query: string) => client.searchConversations(query), [client]);
  // Deleted, from this tab or another: a tab showing it goes back to the empty page.
  useEffect(() => {
    if (conversationId !== null && transport.deleted.includes(conversationId)) select(null);
  }, [conversationId, transport.deleted, select]);
  const canChange = transport.connection === 'connected' && !halted;

  const createConversation = useCallback(async () => {
    setCreating(true);
    try {
      const conversation = await client.createConversation();
      select(conversation.id);
      return conversation.id;
    } finally {
      setCreating(false);
    }
  }, [client, select]);

  return (
    <div id={APP_ROOT_ID} className="flex h-dvh overflow-hidden">
      <ConversationList
        ui={ui}
        conversations={transport.conversations}
        currentId={conversationId}
        open={listOpen}
        canCreate={transport.connection === 'connected' && !creating}
        onSelect={select}
        onCreate={() => void createConversation().catch(() => undefined)}
        onClose={() => setListOpen(false)}
        onSearch={search}
        onOpenResult={openResult}
        onImported={select}
      />
      {/* Each region of the column is positioned, so that the browser paints it as a layer of
          its own: while an answer streams, a frame then repaints the timeline and reuses the
          header, the bars and the composer as they were, instead of repainting each of them
          (docs/performance.md). The conversation list is positioned for the same reason. */}
      <div className="flex min-w-0 flex-1 flex-col *:relative">
        <header className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-3 py-2 sm:px-4 dark:border-slate-800">
          <button
            type="button"
            className="rounded-md border border-slate-300 px-2 py-1 text-sm md:hidden dark:border-slate-600"
            aria-expanded={listOpen}
            aria-controls="conversation-list"
            onClick={() => setListOpen((open) => !open)}
          >
            {listOpen ? t('hideConversations') : t('showConversations')}
          </button>
          <h1 className="text-lg font-semibold">{t('appName')}</h1>
          <p className="hidden text-sm text-slate-600 lg:block dark:text-slate-400">
            {t('tagline')}
          </p>
          <div className="ml-auto flex items-center gap-3">
            {conversationId === null ? null : (
              <InspectLink ui={ui} conversationId={conversationId} />
            )}
            <McpServersButton
              ui={ui}
              servers={transport.mcpServers}
              open={serversOpen}
              onToggle={() => setServersOpen((open) => !open)}
            />
            <PoliciesButton
              ui={ui}
              open={policiesOpen}
              onToggle={() => setPoliciesOpen((open) => !open)}
            />
            <ConnectionStatus ui={ui} transport={transport} />
            <LanguageSwitch ui={ui} onChange={setLocale} />
            <AccountControls ui={ui} person={transport.person} canSignOut={transport.canSignOut} />
          </div>
        </header>
        <VersionBanner
          ui={ui}
          mismatch={transport.versionMismatch}
          onReload={() => window.location.reload()}
        />
        <ClaudeBanner ui={ui} claude={transport.claude} />
        {halted ? null : (
          <ConnectionBanner ui={ui} transport={transport} onRetry={client.reconnectNow} />
        )}
        <NoticeList
          ui={ui}
          notices={transport.notices.filter(
            (notice) => notice.conversationId === null || notice.conversationId === conversationId,
          )}
          onDismiss={client.dismissNotice}
        />
        {conversationId === null ? (
          <EmptyConversation
            ui={ui}
            client={client}
            connected={transport.connection === 'connected'}
            onCreate={createConversation}
          />
        ) : (
          <>
            <ConversationActions
              key={`actions-${conversationId}`}
              ui={ui}
              conversationId={conversationId}
              title={
                transport.conversations?.find((conversation) => conversation.id === conversationId)
                  ?.title ?? null
              }
              canChange={canChange}
              onRename={(title) => client.renameConversation(conversationId, title)}
              onDelete={() => client.deleteConversation(conversationId)}
            />
            <ConversationView
              key={conversationId}
              ui={ui}
              client={client}
              transport={transport}
              conversationId={conversationId}
              focusAnchor={focus?.conversationId === conversationId ? focus.anchor : null}
            />
          </>
        )}
      </div>
      {policiesOpen ? (
        <PoliciesPanel
          ui={ui}
          grants={transport.grants}
          conversations={transport.conversations}
          canRevoke={transport.connection === 'connected' && !halted}
          onRevoke={(grantId) => client.revokeGrant(grantId)}
          onClose={closePolicies}
        />
      ) : null}
      {serversOpen ? (
        <McpServersPanel
          ui={ui}
          servers={transport.mcpServers}
          tools={transport.tools}
          canRestart={transport.connection === 'connected' && !halted}
          onRestart={(server) => client.restartMcpServer(server)}
          onClose={closeServers}
        />
      ) : null}
    </div>
  );
}
