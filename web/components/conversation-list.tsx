import type { ConversationSummary, SearchResult } from '@tollgate/machines';
import { type MouseEvent, useMemo } from 'react';
import { conversationHref } from '../hooks/use-conversation-param.ts';
import type { SearchAnswer } from '../lib/tollgate-client.ts';
import { ConversationSearch } from './conversation-search.tsx';
import { ImportButton } from './import-button.tsx';
import type { Ui } from './ui.ts';

/**
 * The conversations the server keeps, newest activity first. A sidebar on wide screens, a panel
 * over the page on phones. Entries are real links (`?c=<id>`), so they open in a new tab too.
 */
export function ConversationList({
  ui,
  conversations,
  currentId,
  open,
  canCreate,
  onSelect,
  onCreate,
  onClose,
  onSearch,
  onOpenResult,
  onImported,
}: {
  ui: Ui;
  conversations: ConversationSummary[] | null;
  currentId: string | null;
  open: boolean;
  canCreate: boolean;
  onSelect: (id: string) => void;
  onCreate: () => void;
  onClose: () => void;
  onSearch: (query: string) => Promise<SearchAnswer>;
  /** Opens the conversation a search result is in, at the message it matched. */
  onOpenResult: (result: SearchResult) => void;
  onImported: (conversationId: string) => void;
}) {
  const { t, locale } = ui;
  // Made once per locale: making one costs milliseconds, at every render of the list.
  const dates = useMemo(
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }),
    [locale],
  );
  const follow = (event: MouseEvent<HTMLAnchorElement>, id: string) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    onSelect(id);
  };

  return (
    <>
      {open ? (
        <button
          type="button"
          aria-label={t('hideConversations')}
          tabIndex={-1}
          onClick={onClose}
          className="fixed inset-0 z-30 bg-slate-950/50 md:hidden"
        />
      ) : null}
      <nav
        id="conversation-list"
        aria-label={t('conversations')}
        className={`${open ? 'fixed inset-y-0 left-0 z-40 flex shadow-xl' : 'hidden'} w-72 shrink-0 flex-col border-r border-slate-200 bg-slate-50 md:relative md:z-auto md:flex md:shadow-none dark:border-slate-800 dark:bg-slate-900`}
      >
        <div className="flex items-center justify-between gap-2 p-3">
          <h2 className="font-semibold">{t('conversations')}</h2>
          <button
            type="button"
            onClick={onCreate}
            disabled={!canCreate}
            className="rounded-lg bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 disabled:cursor-not-allowed disabled:bg-slate-400 dark:disabled:bg-slate-700"
          >
            {t('newConversation')}
          </button>
        </div>
        <ImportButton ui={ui} disabled={!canCreate} onImported={onImported} />
        <ConversationSearch ui={ui} canSearch={canCreate} onSearch={onSearch} onOpen={onOpenResult}>
          {conversations !== null && conversations.length === 0 ? (
            <p className="px-3 text-sm text-slate-600 dark:text-slate-300">
              {t('noConversations')}
            </p>
          ) : null}
          <ul className="flex-1 overflow-y-auto px-2 pb-3">
            {(conversations ?? []).map((conversation) => {
              const current = conversation.id === currentId;
              return (
                <li key={conversation.id}>
                  <a
                    href={conversationHref(conversation.id)}
                    onClick={(event) => follow(event, conversation.id)}
                    aria-current={current ? 'page' : undefined}
                    className={`block rounded-lg px-3 py-2 hover:bg-slate-200 dark:hover:bg-slate-800 ${current ? 'bg-slate-200 font-medium dark:bg-slate-800' : ''}`}
                  >
                    <span className="block truncate">
                      {conversation.title ?? t('untitledConversation')}
                    </span>
                    <span className="block text-xs text-slate-600 dark:text-slate-400">
                      {dates.format(conversation.updatedAt)}
                    </span>
                  </a>
                </li>
              );
            })}
          </ul>
        </ConversationSearch>
      </nav>
    </>
  );
}
