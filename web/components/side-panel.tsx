import { type ReactNode, useEffect, useId, useRef } from 'react';
import type { Ui } from './ui.ts';

/**
 * A side panel over the right of the page (MCP servers, Policies): a dialog that is not modal,
 * so the chat stays usable beside it, and an approval dialog covers it like the rest of the page.
 * It takes focus when it opens and gives it back to the button that opened it (`openerId`) when it
 * closes; Escape closes it wherever focus is, unless an open approval dialog kept the key.
 */
export function SidePanel({
  ui,
  id,
  openerId,
  title,
  intro,
  onClose,
  children,
}: {
  ui: Ui;
  id: string;
  openerId: string;
  title: string;
  intro: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const titleId = useId();
  const introId = useId();
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    panel.current?.focus();
    return () => document.getElementById(openerId)?.focus();
  }, [openerId]);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) onClose();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [onClose]);

  return (
    <section
      ref={panel}
      id={id}
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      aria-describedby={introId}
      tabIndex={-1}
      className="fixed inset-y-0 right-0 z-40 flex w-full max-w-md flex-col gap-3 overflow-y-auto border-l border-slate-200 bg-white p-4 shadow-2xl outline-none dark:border-slate-800 dark:bg-slate-900"
    >
      <header className="flex flex-col gap-1">
        <div className="flex items-center justify-between gap-2">
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <button
            type="button"
            onClick={onClose}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
          >
            {ui.t('closePanel')}
          </button>
        </div>
        <p id={introId} className="text-sm text-slate-600 dark:text-slate-300">
          {intro}
        </p>
      </header>
      {children}
    </section>
  );
}
