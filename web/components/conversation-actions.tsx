import { MAX_CONVERSATION_TITLE } from '@tollgate/machines';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { exportHref } from '../lib/conversation-files.ts';
import { DeleteConversationDialog } from './delete-conversation-dialog.tsx';
import type { Ui } from './ui.ts';

const button =
  'rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-600 dark:hover:bg-slate-800';

/**
 * The open conversation's title and what a person can do with it: rename it (a command in its
 * log, seen by every tab), export it (Markdown or JSON, downloaded from the server) and delete
 * it (after a confirmation). The title shown is the list's; a rename shows once the server's
 * list says so.
 */
export function ConversationActions({
  ui,
  conversationId,
  title,
  canChange,
  onRename,
  onDelete,
}: {
  ui: Ui;
  conversationId: string;
  title: string | null;
  /** Connected, and the page not stopped over a version mismatch. */
  canChange: boolean;
  onRename: (title: string) => void;
  onDelete: () => void;
}) {
  const { t } = ui;
  const shown = title ?? t('untitledConversation');
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [confirming, setConfirming] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  const hintId = useId();

  useEffect(() => {
    if (editing) input.current?.select();
  }, [editing]);

  const stopEditing = () => {
    setEditing(false);
    // Back to where the rename started, for keyboard users.
    queueMicrotask(() => renameButton.current?.focus());
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    const next = draft.trim();
    if (next.length === 0 || next === title) {
      stopEditing();
      return;
    }
    onRename(next);
    stopEditing();
  };

  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-3 py-2 sm:px-4 dark:border-slate-800">
      {editing ? (
        <form onSubmit={save} className="flex min-w-0 flex-1 flex-wrap items-center gap-2">
          <input
            ref={input}
            aria-label={t('conversationTitle')}
            aria-describedby={hintId}
            value={draft}
            maxLength={MAX_CONVERSATION_TITLE}
            onChange={(event) => setDraft(event.target.value.replace(/[\r\n]+/g, ' '))}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.preventDefault();
                stopEditing();
              }
            }}
            className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-900"
          />
          <button type="submit" className={button} disabled={draft.trim().length === 0}>
            {t('renameSave')}
          </button>
          <button type="button" className={button} onClick={stopEditing}>
            {t('renameCancel')}
          </button>
          <span id={hintId} className="sr-only">
            {t('renameHint')}
          </span>
        </form>
      ) : (
        <h2 className="min-w-0 flex-1 truncate font-medium" title={shown}>
          {shown}
        </h2>
      )}
      {/* biome-ignore lint/a11y/useSemanticElements: a toolbar of buttons, not a form group. */}
      <div role="group" aria-label={t('conversationActions')} className="flex flex-wrap gap-2">
        {editing ? null : (
          <button
            ref={renameButton}
            type="button"
            className={button}
            disabled={!canChange}
            onClick={() => {
              setDraft(title ?? '');
              setEditing(true);
            }}
          >
            {t('renameConversation')}
          </button>
        )}
        <a className={button} href={exportHref(conversationId, 'md')} download>
          {t('exportMarkdown')}
        </a>
        <a className={button} href={exportHref(conversationId, 'json')} download>
          {t('exportJson')}
        </a>
        <button
          type="button"
          className={`${button} text-red-700 dark:text-red-400`}
          disabled={!canChange}
          onClick={() => setConfirming(true)}
        >
          {t('deleteConversation')}
        </button>
      </div>
      {confirming ? (
        <DeleteConversationDialog
          ui={ui}
          title={shown}
          onConfirm={() => {
            setConfirming(false);
            onDelete();
          }}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </div>
  );
}
