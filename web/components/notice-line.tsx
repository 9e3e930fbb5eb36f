import type { NoticeItem } from '@tollgate/machines';
import { memo } from 'react';
import type { Ui } from './ui.ts';

/** "Always allow" granted or revoked: visible in the timeline, and revocable from there. */
export const NoticeLine = memo(function NoticeLine({
  ui,
  notice,
  canRevoke,
  onRevoke,
}: {
  ui: Ui;
  notice: NoticeItem;
  canRevoke: boolean;
  onRevoke: (toolName: string) => void;
}) {
  const { t } = ui;
  const granted = notice.code === 'always_allow_granted';
  return (
    <p className="flex flex-wrap items-center justify-center gap-2 text-center text-sm text-slate-600 dark:text-slate-300">
      <span>
        {notice.code === 'always_allow_granted_everywhere'
          ? t('noticeGrantedEverywhere', { tool: notice.toolName })
          : t(granted ? 'noticeGranted' : 'noticeRevoked', { tool: notice.toolName })}
      </span>
      {canRevoke ? (
        <button
          type="button"
          onClick={() => onRevoke(notice.toolName)}
          className="rounded-md border border-slate-400 px-2 py-0.5 text-slate-800 hover:bg-slate-100 dark:border-slate-500 dark:text-slate-100 dark:hover:bg-slate-800"
        >
          {t('revoke')}
        </button>
      ) : null}
    </p>
  );
});
