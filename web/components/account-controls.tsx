import type { Ui } from './ui.ts';

/**
 * Who the page is for, when a company's proxy named the person, and a way out when access came
 * from APP_TOKEN's cookie: a plain form, so signing out needs no script (POST /signout clears the
 * cookie; docs/access.md).
 */
export function AccountControls({
  ui,
  person,
  canSignOut,
}: {
  ui: Ui;
  person: { name: string } | null;
  canSignOut: boolean;
}) {
  const { t } = ui;
  if (person === null && !canSignOut) return null;
  return (
    <div className="flex items-center gap-2 text-sm">
      {person ? (
        <span className="text-slate-700 dark:text-slate-300">
          {t('signedInAs', { name: person.name })}
        </span>
      ) : null}
      {canSignOut ? (
        <form method="post" action="/signout">
          <button
            type="submit"
            className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
          >
            {t('signOut')}
          </button>
        </form>
      ) : null}
    </div>
  );
}
