import type { VersionMismatch } from '../lib/transport-state.ts';
import type { Ui } from './ui.ts';

/**
 * Says that the page and the server are of different versions, with Reload to fetch the server's
 * own page. Red when the page has stopped (it folds and sends nothing more), amber when an older
 * server still works with it.
 */
export function VersionBanner({
  ui,
  mismatch,
  onReload,
}: {
  ui: Ui;
  mismatch: VersionMismatch | null;
  onReload: () => void;
}) {
  if (mismatch === null) return null;
  const { t } = ui;
  const text =
    mismatch.reason === 'page_older'
      ? t('versionPageOlder')
      : mismatch.pageWorks
        ? t('versionServerRolledBack')
        : t('versionServerOlder');
  const colours = mismatch.pageWorks
    ? 'border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100'
    : 'border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100';
  return (
    <div
      role="alert"
      data-version-mismatch={mismatch.reason}
      // Both sides' versions, for whoever has to find out why.
      title={mismatch.message}
      className={`flex flex-wrap items-center gap-3 border-b px-4 py-2 ${colours}`}
    >
      <p className="flex-1">{text}</p>
      <button
        type="button"
        onClick={onReload}
        className="rounded-md bg-slate-800 px-3 py-1.5 font-medium text-white hover:bg-slate-900 dark:bg-slate-200 dark:text-slate-950"
      >
        {t('reload')}
      </button>
    </div>
  );
}
