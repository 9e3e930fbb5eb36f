import type { Ui } from '../ui.ts';

const BUTTON =
  'rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-600 dark:hover:bg-slate-800';

/**
 * Time travel: one line back or forward through the events list, or back to following the live
 * end. "Live" is pressed while the inspector follows the end.
 */
export function TravelBar({
  ui,
  seq,
  length,
  live,
  canGoBack,
  canGoForward,
  onStep,
  onLive,
}: {
  ui: Ui;
  seq: number;
  length: number;
  live: boolean;
  canGoBack: boolean;
  canGoForward: boolean;
  onStep: (direction: -1 | 1) => void;
  onLive: () => void;
}) {
  const { t } = ui;
  return (
    <div role="toolbar" aria-label={t('timeTravel')} className="flex flex-wrap items-center gap-2">
      <button type="button" className={BUTTON} disabled={!canGoBack} onClick={() => onStep(-1)}>
        {t('previousEvent')}
      </button>
      <button type="button" className={BUTTON} disabled={!canGoForward} onClick={() => onStep(1)}>
        {t('nextEvent')}
      </button>
      <button
        type="button"
        aria-pressed={live}
        onClick={onLive}
        className={`${BUTTON} aria-pressed:border-green-700 aria-pressed:bg-green-50 aria-pressed:text-green-900 dark:aria-pressed:border-green-500 dark:aria-pressed:bg-green-950 dark:aria-pressed:text-green-100`}
      >
        <span
          aria-hidden="true"
          className={`mr-1.5 inline-block size-2 rounded-full ${live ? 'animate-pulse bg-green-600' : 'bg-slate-400'}`}
        />
        {t('live')}
      </button>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {live ? t('followingLive', { seq: length }) : t('travelling', { seq, last: length })}
      </p>
    </div>
  );
}
