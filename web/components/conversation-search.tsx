import type { SearchResult } from '@tollgate/machines';
import { type MouseEvent, useEffect, useId, useState } from 'react';
import { conversationHref } from '../hooks/use-conversation-param.ts';
import type { SearchAnswer } from '../lib/tollgate-client.ts';
import type { Ui } from './ui.ts';

/** How long typing rests before the search goes out. */
const DEBOUNCE_MS = 250;

type Found =
  | { status: 'idle' }
  | { status: 'searching'; query: string }
  | { status: 'done'; answer: SearchAnswer }
  | { status: 'failed'; query: string };

/**
 * A search box over the person's conversations (their titles, their messages and Claude's
 * answers). While it holds text, its results take the list's place: each shows where it matched,
 * the match marked, and opens its conversation at that message.
 */
export function ConversationSearch({
  ui,
  canSearch,
  onSearch,
  onOpen,
  children,
}: {
  ui: Ui;
  canSearch: boolean;
  onSearch: (query: string) => Promise<SearchAnswer>;
  onOpen: (result: SearchResult) => void;
  /** The conversation list, shown while the box is empty. */
  children: React.ReactNode;
}) {
  const { t } = ui;
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Found>({ status: 'idle' });
  const statusId = useId();
  const wanted = query.trim();

  useEffect(() => {
    if (wanted.length === 0) {
      setFound({ status: 'idle' });
      return;
    }
    let current = true;
    setFound({ status: 'searching', query: wanted });
    const timer = setTimeout(() => {
      onSearch(wanted).then(
        (answer) => current && setFound({ status: 'done', answer }),
        () => current && setFound({ status: 'failed', query: wanted }),
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [wanted, onSearch]);

  const open = (event: MouseEvent<HTMLAnchorElement>, result: SearchResult) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    onOpen(result);
  };

  return (
    <>
      <div className="px-3 pb-2">
        <input
          type="search"
          aria-label={t('searchConversations')}
          aria-describedby={statusId}
          placeholder={t('searchPlaceholder')}
          value={query}
          disabled={!canSearch && query.length === 0}
          maxLength={200}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && query.length > 0) {
              event.preventDefault();
              setQuery('');
            }
          }}
          className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-950"
        />
      </div>
      <p
        id={statusId}
        className="px-3 text-sm text-slate-600 dark:text-slate-300"
        aria-live="polite"
      >
        {found.status === 'searching'
          ? t('searchSearching')
          : found.status === 'failed'
            ? t('searchFailed')
            : found.status === 'done' && found.answer.results.length === 0
              ? t('searchNoResults', { query: found.answer.query })
              : found.status === 'done' && found.answer.truncated
                ? t('searchMore', { count: found.answer.results.length })
                : ''}
      </p>
      {found.status === 'idle' ? (
        children
      ) : (
        <ul aria-label={t('searchResults')} className="flex-1 overflow-y-auto px-2 pb-3">
          {found.status === 'done'
            ? found.answer.results.map((result) => (
                <li key={`${result.conversationId} ${result.seq ?? 'title'}`}>
                  <a
                    href={conversationHref(result.conversationId)}
                    onClick={(event) => open(event, result)}
                    className="block rounded-lg px-3 py-2 hover:bg-slate-200 dark:hover:bg-slate-800"
                  >
                    <span className="block truncate text-sm font-medium">
                      {result.title ?? t('untitledConversation')}
                    </span>
                    <span className="block text-sm break-words text-slate-700 dark:text-slate-300">
                      {result.snippet.before}
                      <mark className="rounded bg-amber-200 px-0.5 text-inherit dark:bg-amber-700">
                        {result.snippet.match}
                      </mark>
                      {result.snippet.after}
                      {result.seq === null ? (
                        <span className="text-xs text-slate-500"> ({t('searchInTitle')})</span>
                      ) : null}
                    </span>
                  </a>
                </li>
              ))
            : null}
        </ul>
      )}
    </>
  );
}
