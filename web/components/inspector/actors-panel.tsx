import type { InspectedActor } from '@tollgate/machines';
import { memo } from 'react';
import type { Ui } from '../ui.ts';
import { Panel } from './panel.tsx';

/** The conversation's actor and the ones it invoked (Claude's stream, the tool run), at the point. */
export const ActorsPanel = memo(function ActorsPanel({
  ui,
  actors,
}: {
  ui: Ui;
  actors: readonly InspectedActor[];
}) {
  return (
    <Panel title={ui.t('actors')}>
      <ul className="flex flex-col gap-1 text-sm">
        {actors.map((actor) => (
          <li key={actor.id} className="flex flex-wrap items-baseline gap-2" data-actor={actor.id}>
            <code className="font-semibold">{actor.id}</code>
            <span
              className={`rounded px-1.5 text-xs ${
                actor.status === 'active'
                  ? 'bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-100'
                  : 'bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300'
              }`}
            >
              {actor.status}
            </span>
            <span className="text-slate-700 dark:text-slate-300">{actor.detail}</span>
          </li>
        ))}
      </ul>
    </Panel>
  );
});
