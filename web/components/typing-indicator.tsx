import type { Ui } from './ui.ts';

/** Shown from the moment the message is sent until Claude's first delta arrives. */
export function TypingIndicator({ ui }: { ui: Ui }) {
  return (
    <p className="flex items-center gap-2 text-slate-600 dark:text-slate-300">
      <span aria-hidden="true" className="flex gap-1">
        <span className="typing-dot size-2 rounded-full bg-current" />
        <span className="typing-dot size-2 rounded-full bg-current" />
        <span className="typing-dot size-2 rounded-full bg-current" />
      </span>
      <span>{ui.t('typing')}</span>
    </p>
  );
}
