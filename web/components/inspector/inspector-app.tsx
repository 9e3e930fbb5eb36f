'use client';

import { conversationIdSchema } from '@tollgate/machines';
import { type ReactNode, useMemo, useState, useSyncExternalStore } from 'react';
import { useLocale } from '../../hooks/use-locale.ts';
import { conversationHref } from '../../lib/inspector/inspector-href.ts';
import { ConnectionBanner } from '../connection-banner.tsx';
import { ConnectionStatus } from '../connection-status.tsx';
import { LanguageSwitch } from '../language-switch.tsx';
import type { Ui } from '../ui.ts';
import { VersionBanner } from '../version-banner.tsx';
import { InspectorView } from './inspector-view.tsx';
import { type InspectorSession, useInspectorSession } from './use-inspector-session.ts';

/** The inspector page: one conversation (`?c=`), read from its log and never changed. */
export function InspectorApp() {
  const { locale, t, setLocale } = useLocale();
  const ui: Ui = useMemo(() => ({ t, locale }), [t, locale]);
  const [conversationId] = useState(() => {
    const id = new URLSearchParams(window.location.search).get('c');
    return conversationIdSchema.safeParse(id).success ? id : null;
  });
  const language = <LanguageSwitch ui={ui} onChange={setLocale} />;
  if (conversationId === null) {
    return (
      <div className="flex h-dvh flex-col">
        <InspectorHeader ui={ui} title={null} backHref="/">
          {language}
        </InspectorHeader>
        <p className="p-6 text-slate-700 dark:text-slate-300">{t('noConversationToInspect')}</p>
      </div>
    );
  }
  return <InspectorSessionView ui={ui} conversationId={conversationId} language={language} />;
}

function InspectorSessionView({
  ui,
  conversationId,
  language,
}: {
  ui: Ui;
  conversationId: string;
  language: ReactNode;
}) {
  const session = useInspectorSession(conversationId);
  return session === null ? null : (
    <InspectorLayout
      ui={ui}
      session={session}
      conversationId={conversationId}
      language={language}
    />
  );
}

function InspectorLayout({
  ui,
  session,
  conversationId,
  language,
}: {
  ui: Ui;
  session: InspectorSession;
  conversationId: string;
  language: ReactNode;
}) {
  const { feed, log } = session;
  const transport = useSyncExternalStore(feed.subscribe, feed.getState, feed.getState);
  const title =
    transport.conversations?.find((conversation) => conversation.id === conversationId)?.title ??
    null;
  const halted = transport.versionMismatch?.pageWorks === false;
  return (
    <div className="flex h-dvh flex-col">
      <InspectorHeader
        ui={ui}
        title={title}
        backHref={conversationHref(window.location.search, conversationId)}
      >
        <ConnectionStatus ui={ui} transport={transport} />
        {language}
      </InspectorHeader>
      <VersionBanner
        ui={ui}
        mismatch={transport.versionMismatch}
        onReload={() => window.location.reload()}
      />
      {halted ? null : (
        <ConnectionBanner ui={ui} transport={transport} onRetry={feed.reconnectNow} />
      )}
      {transport.missing.includes(conversationId) ? (
        <p className="p-6 text-slate-700 dark:text-slate-300" role="alert">
          {ui.t('unknownConversation')}
        </p>
      ) : (
        <InspectorView
          ui={ui}
          feed={feed}
          log={log}
          tools={transport.tools}
          synced={transport.synced.includes(conversationId)}
        />
      )}
    </div>
  );
}

function InspectorHeader({
  ui,
  title,
  backHref,
  children,
}: {
  ui: Ui;
  title: string | null;
  backHref: string;
  children: ReactNode;
}) {
  return (
    <header className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-200 px-3 py-2 sm:px-4 dark:border-slate-800">
      <h1 className="text-lg font-semibold">
        {ui.t('appName')} · {ui.t('inspectorTitle')}
      </h1>
      {title ? (
        <p className="min-w-0 max-w-md truncate text-sm text-slate-600 dark:text-slate-400">
          {title}
        </p>
      ) : null}
      <a
        href={backHref}
        className="text-sm text-blue-700 underline underline-offset-2 hover:text-blue-900 dark:text-blue-300 dark:hover:text-blue-100"
      >
        {ui.t('backToConversation')}
      </a>
      <div className="ml-auto flex items-center gap-3">{children}</div>
    </header>
  );
}
