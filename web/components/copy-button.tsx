import { useEffect, useState } from 'react';
import type { Ui } from './ui.ts';

/** How long "Copied" shows before the button reads "Copy file" again. */
const CONFIRM_MS = 2000;

/**
 * Copies a file's whole text. The file panel draws only the lines in view, so selecting in it
 * reaches only those; this is how a person takes the whole file.
 */
export function CopyFileButton({ ui, text }: { ui: Ui; text: string }) {
  const { t } = ui;
  const [outcome, setOutcome] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (outcome === 'idle') return;
    const timer = setTimeout(() => setOutcome('idle'), CONFIRM_MS);
    return () => clearTimeout(timer);
  }, [outcome]);
  const copy = () => {
    navigator.clipboard.writeText(text).then(
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
        {t('copyFile')}
      </button>
      <span role="status" className="text-slate-600 dark:text-slate-300">
        {outcome === 'copied' ? t('fileCopied') : outcome === 'failed' ? t('copyFailed') : ''}
      </span>
    </span>
  );
}
