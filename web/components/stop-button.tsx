import type { Ui } from './ui.ts';

/** "Stop": ends Claude's stream or cancels the running tool. One look wherever it appears. */
export function StopButton({ ui, onStop }: { ui: Ui; onStop: () => void }) {
  return (
    <button
      type="button"
      onClick={onStop}
      className="min-h-11 rounded-xl border border-red-700 px-4 font-medium text-red-800 hover:bg-red-50 dark:border-red-400 dark:text-red-200 dark:hover:bg-red-950"
    >
      {ui.t('stop')}
    </button>
  );
}
