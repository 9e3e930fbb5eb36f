import { inspectorHref } from '../../lib/inspector/inspector-href.ts';
import type { Ui } from '../ui.ts';

/**
 * Opens the flow inspector of the conversation (its own page, so it can sit in another tab).
 * `newTab`: from the approval dialog, which must stay open while the person looks at why it waits.
 */
export function InspectLink({
  ui,
  conversationId,
  newTab = false,
}: {
  ui: Ui;
  conversationId: string;
  newTab?: boolean;
}) {
  return (
    <a
      href={inspectorHref(window.location.search, conversationId)}
      {...(newTab ? { target: '_blank', rel: 'noopener' } : {})}
      className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
    >
      {ui.t('inspect')}
    </a>
  );
}
