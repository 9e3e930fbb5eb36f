import type { Usage } from '@tollgate/machines';
import type { Ui } from './ui.ts';

/** The tokens one Claude request used, as the API reported them. */
export function UsageLine({ ui, usage }: { ui: Ui; usage: Usage }) {
  const cached = usage.cacheReadInputTokens;
  const input = usage.inputTokens + cached + usage.cacheCreationInputTokens;
  return (
    <p className="text-xs text-slate-600 dark:text-slate-400">
      {cached > 0
        ? ui.t('usageCache', { input, cached, output: usage.outputTokens })
        : ui.t('usage', { input, output: usage.outputTokens })}
    </p>
  );
}
