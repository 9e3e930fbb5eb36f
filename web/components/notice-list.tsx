import type { ServerNotice } from '../lib/transport-state.ts';
import type { Ui } from './ui.ts';

/** The server's refusals and errors, in its own words, until dismissed. */
export function NoticeList({
  ui,
  notices,
  onDismiss,
}: {
  ui: Ui;
  notices: readonly ServerNotice[];
  onDismiss: (id: number) => void;
}) {
  if (notices.length === 0) return null;
  return (
    <ul className="flex flex-col gap-1 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
      {notices.map((notice) => (
        <li
          key={notice.id}
          role="alert"
          data-code={notice.code}
          className="flex items-start gap-3 rounded-md bg-red-50 px-3 py-1.5 text-sm text-red-900 dark:bg-red-950 dark:text-red-100"
        >
          <p className="flex-1">{notice.message}</p>
          <button
            type="button"
            onClick={() => onDismiss(notice.id)}
            className="rounded px-1 underline"
          >
            {ui.t('dismiss')}
          </button>
        </li>
      ))}
    </ul>
  );
}
