import type { Ui } from './ui.ts';

/** Claude's extended thinking, folded away: there if wanted, out of the way otherwise. */
export function ThinkingBlock({ ui, thinking }: { ui: Ui; thinking: string }) {
  return (
    <details className="rounded-lg border border-slate-200 px-3 py-2 text-sm dark:border-slate-700">
      <summary className="cursor-pointer font-medium text-slate-700 dark:text-slate-200">
        {ui.t('thinking')}
      </summary>
      <p className="mt-2 whitespace-pre-wrap text-slate-700 dark:text-slate-300">{thinking}</p>
    </details>
  );
}
