import { inspectorHref } from '../../lib/inspector/inspector-href.ts';
import type { Ui } from '../ui.ts';

/** Opens the flow inspector of the conversation (its own page, so it can sit in another tab). */
export function InspectLink({ ui, conversationId }: { ui: Ui; conversationId: string }) {
  return (
    <a
      href={inspectorHref(window.location.search, conversationId)}
      className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
    >
      {ui.t('inspect')}
    </a>
  );
}
