import { useEffect, useState } from 'react';
import type { Ui } from './ui.ts';

/** How long "Copied" shows before the button reads as before. */
const CONFIRM_MS = 2000;

/**
 * Copies a text (read when pressed, so a code block is taken as it is on screen), then says
 * "Copied" (or that it could not) for a moment. One look wherever it appears.
 */
export function CopyButton({
  ui,
  label,
  text,
}: {
  ui: Ui;
  label: string;
  text: string | (() => string);
}) {
  const { t } = ui;
  const [outcome, setOutcome] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (outcome === 'idle') return;
    const timer = setTimeout(() => setOutcome('idle'), CONFIRM_MS);
    return () => clearTimeout(timer);
  }, [outcome]);
  const copy = () => {
    navigator.clipboard.writeText(typeof text === 'string' ? text : text()).then(
      () => setOutcome('copied'),
      () => setOutcome('failed'),
    );
  };
  return (
    <span className="flex items-center gap-2 text-sm">
      <button
        type="button"
        onClick={copy}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-900"
      >
        {label}
      </button>
      <span role="status" className="text-slate-600 dark:text-slate-300">
        {outcome === 'copied' ? t('copied') : outcome === 'failed' ? t('copyFailed') : ''}
      </span>
    </span>
  );
}
