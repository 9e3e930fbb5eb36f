import { type FormEvent, type KeyboardEvent, useId, useState } from 'react';
import { StopButton } from './stop-button.tsx';
import type { Ui } from './ui.ts';

/**
 * The message box. Enter sends, Shift+Enter starts a new line (and Enter while an input method is
 * composing a character does neither). Stop shows while Claude streams or a tool runs.
 */
export function Composer({
  ui,
  busy,
  canSend,
  onSend,
  onStop,
}: {
  ui: Ui;
  busy: boolean;
  canSend: boolean;
  onSend: (text: string) => void | Promise<void>;
  onStop: () => void;
}) {
  const { t } = ui;
  const [text, setText] = useState('');
  const id = useId();
  const ready = canSend && !busy && text.trim().length > 0;

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!ready) return;
    const sent = text;
    setText('');
    // If starting the conversation fails, the text comes back rather than being lost.
    void Promise.resolve(onSend(sent)).catch(() => setText(sent));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form
      onSubmit={submit}
      className="border-t border-slate-200 bg-white px-3 py-3 sm:px-4 dark:border-slate-800 dark:bg-slate-950"
    >
      <div className="mx-auto flex max-w-3xl items-end gap-2">
        <label htmlFor={id} className="sr-only">
          {t('message')}
        </label>
        <textarea
          id={id}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          rows={1}
          placeholder={t('messagePlaceholder')}
          className="field-sizing-content max-h-48 min-h-11 flex-1 resize-none rounded-xl border border-slate-300 bg-white px-3 py-2.5 text-base placeholder:text-slate-500 dark:border-slate-600 dark:bg-slate-900 dark:placeholder:text-slate-400"
        />
        {busy ? <StopButton ui={ui} onStop={onStop} /> : null}
        <button
          type="submit"
          disabled={!ready}
          className="min-h-11 rounded-xl bg-blue-700 px-4 font-medium text-white hover:bg-blue-800 disabled:cursor-not-allowed disabled:bg-slate-400 dark:disabled:bg-slate-700"
        >
          {t('send')}
        </button>
      </div>
    </form>
  );
}
