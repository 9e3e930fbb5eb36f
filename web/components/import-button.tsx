import { useRef, useState } from 'react';
import { importConversation } from '../lib/conversation-files.ts';
import type { Ui } from './ui.ts';

/**
 * Imports a JSON export as a new conversation: the file goes to the server, which checks and
 * folds its entries before it appends them; the new conversation opens. A refusal is shown here,
 * in the server's words.
 */
export function ImportButton({
  ui,
  disabled,
  onImported,
}: {
  ui: Ui;
  disabled: boolean;
  onImported: (conversationId: string) => void;
}) {
  const { t } = ui;
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const pick = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setFailure(null);
    try {
      const outcome = await importConversation(await file.text());
      if (outcome.ok) onImported(outcome.conversation.id);
      else setFailure(outcome.message);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <div className="px-3 pb-2">
      {/* Hidden: the button below is what a person (and assistive technology) uses. */}
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        hidden
        onChange={(event) => void pick(event.target.files?.[0])}
      />
      <button
        type="button"
        disabled={disabled || busy}
        aria-label={t('importConversationLabel')}
        onClick={() => input.current?.click()}
        className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-200 disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-600 dark:hover:bg-slate-800"
      >
        {busy ? t('importing') : t('importConversation')}
      </button>
      {failure === null ? null : (
        <p role="alert" className="mt-1 text-sm text-red-700 dark:text-red-400">
          {t('importFailed', { message: failure })}
        </p>
      )}
    </div>
  );
}
