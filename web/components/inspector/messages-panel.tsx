import type { InspectedPoint } from '@tollgate/machines';
import { memo } from 'react';
import type { Ui } from '../ui.ts';
import { Panel } from './panel.tsx';

/**
 * The `messages` of the latest request Tollgate sent Claude at the point, exactly as sent (the
 * cache breakpoint included): what Claude had to go on.
 */
export const MessagesPanel = memo(
  function MessagesPanel({ ui, request }: { ui: Ui; request: InspectedPoint['request'] }) {
    const { t } = ui;
    return (
      <Panel title={t('messagesSent')}>
        {request === null ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">{t('noRequest')}</p>
        ) : (
          <>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {t('requestForTurn', { turn: request.turn })}
            </p>
            <pre
              // A long conversation's request is hundreds of kilobytes of text: the browser lays
              // it out only while it is on screen.
              className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded-lg border border-slate-200 bg-slate-50 p-2 font-mono text-xs [contain-intrinsic-size:auto_24rem] [content-visibility:auto] dark:border-slate-800 dark:bg-slate-900"
              data-turn={request.turn}
            >
              {JSON.stringify(request.messages, null, 2)}
            </pre>
          </>
        )}
      </Panel>
    );
  },
  // A request's messages are kept once made: every point of a turn shares them.
  (before, after) =>
    before.ui === after.ui &&
    before.request?.turn === after.request?.turn &&
    before.request?.messages === after.request?.messages,
);
