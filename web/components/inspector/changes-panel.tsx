import type { ContextChange } from '@tollgate/machines';
import { memo } from 'react';
import type { Ui } from '../ui.ts';
import { Panel } from './panel.tsx';

/** A first approval can touch a few dozen paths; beyond this many the rest are counted. */
const SHOWN = 200;

const MARK: Record<ContextChange['change'], { sign: string; style: string }> = {
  added: { sign: '+', style: 'text-green-800 dark:text-green-300' },
  removed: { sign: '−', style: 'text-red-800 dark:text-red-300' },
  changed: { sign: '~', style: 'text-amber-800 dark:text-amber-300' },
};

/** What the selected line changed in the context, path by path, before and after. */
export const ChangesPanel = memo(function ChangesPanel({
  ui,
  changes,
}: {
  ui: Ui;
  changes: readonly ContextChange[];
}) {
  const { t } = ui;
  return (
    <Panel title={t('changes')}>
      {changes.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">{t('noChanges')}</p>
      ) : (
        <ul className="flex flex-col gap-1.5 font-mono text-xs">
          {changes.slice(0, SHOWN).map((change) => (
            <li key={change.path} data-change={change.change}>
              <span className={`font-bold ${MARK[change.change].style}`}>
                {MARK[change.change].sign}{' '}
              </span>
              <span className="font-semibold">{change.path}</span>
              {change.before !== undefined ? (
                <span className="block break-all pl-3 text-red-800 dark:text-red-300">
                  − {change.before}
                </span>
              ) : null}
              {change.after !== undefined ? (
                <span className="block break-all pl-3 text-green-800 dark:text-green-300">
                  + {change.after}
                </span>
              ) : null}
            </li>
          ))}
          {changes.length > SHOWN ? (
            <li className="text-slate-600 dark:text-slate-400">
              {t('moreChanges', { count: changes.length - SHOWN })}
            </li>
          ) : null}
        </ul>
      )}
    </Panel>
  );
});
