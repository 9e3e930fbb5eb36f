import type { ClaudeStatus } from '@tollgate/machines';
import type { Ui } from './ui.ts';

/** When Claude cannot be called, say what to configure before anyone types a message. */
export function ClaudeBanner({ ui, claude }: { ui: Ui; claude: ClaudeStatus | null }) {
  if (claude === null || claude.status === 'ready') return null;
  const message = claude.message ?? '';
  return (
    <div
      role="alert"
      className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
    >
      {claude.status === 'unconfigured'
        ? ui.t('claudeUnconfigured', { message })
        : ui.t('claudeInvalid', { message })}
    </div>
  );
}
