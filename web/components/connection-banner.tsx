import type { TransportState } from '../lib/transport-state.ts';
import type { Ui } from './ui.ts';

/**
 * Says plainly that the connection is lost (or refused), with Retry to skip the backoff wait.
 * Shown only after a connection failed, not while the page first connects.
 */
export function ConnectionBanner({
  ui,
  transport,
  onRetry,
}: {
  ui: Ui;
  transport: TransportState;
  onRetry: () => void;
}) {
  const { t } = ui;
  if (transport.refusal !== null) {
    return (
      <div
        role="alert"
        className="border-b border-red-300 bg-red-50 px-4 py-2 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
      >
        {t('connectionRefused', { message: transport.refusal })}
      </div>
    );
  }
  if (transport.connection === 'connected' || transport.failedAttempts === 0) return null;
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center gap-3 border-b border-amber-300 bg-amber-50 px-4 py-2 text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
    >
      <p className="flex-1">{t('connectionLost')}</p>
      <button
        type="button"
        onClick={onRetry}
        className="rounded-md bg-amber-800 px-3 py-1.5 font-medium text-white hover:bg-amber-900 dark:bg-amber-200 dark:text-amber-950"
      >
        {t('retry')}
      </button>
    </div>
  );
}
