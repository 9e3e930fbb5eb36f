import { useEffect, useId, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useFocusTrap } from '../hooks/use-focus-trap.ts';
import { useInertPage } from '../hooks/use-inert-page.ts';
import type { Ui } from './ui.ts';

/**
 * Asks before a conversation is deleted for good. Modal: the page behind it is inert; Escape or
 * Cancel keeps the conversation, and focus starts on Cancel, so a stray Enter deletes nothing.
 */
export function DeleteConversationDialog({
  ui,
  title,
  onConfirm,
  onCancel,
}: {
  ui: Ui;
  title: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = ui;
  const dialog = useRef<HTMLDivElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const textId = useId();

  useInertPage();
  useFocusTrap(dialog, true);
  useEffect(() => {
    cancel.current?.focus();
    // The trap swallows Escape (an approval is never dismissed by a stray key); here it cancels.
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onCancel();
    };
    document.addEventListener('keydown', onKeyDown, true);
    return () => document.removeEventListener('keydown', onKeyDown, true);
  }, [onCancel]);

  return createPortal(
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-950/60 p-4">
      <div
        ref={dialog}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={textId}
        tabIndex={-1}
        className="flex w-full max-w-md flex-col gap-4 rounded-2xl bg-white p-6 shadow-2xl outline-none dark:bg-slate-900"
      >
        <h2 id={titleId} className="text-lg font-semibold">
          {t('deleteConfirmTitle')}
        </h2>
        <p id={textId} className="text-sm text-slate-700 dark:text-slate-300">
          {t('deleteConfirmText', { title })}
        </p>
        <div className="flex justify-end gap-2">
          <button
            ref={cancel}
            type="button"
            onClick={onCancel}
            className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-600"
          >
            {t('deleteCancel')}
          </button>
          <button
            type="button"
            onClick={onConfirm}
            className="rounded-lg bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800"
          >
            {t('deleteConfirm')}
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}
