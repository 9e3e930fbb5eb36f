import { useSecondsUntil } from '../hooks/use-seconds-until.ts';
import type { TransportState } from '../lib/transport-state.ts';
import type { Ui } from './ui.ts';

const DOT: Record<TransportState['connection'], string> = {
  connected: 'bg-green-600',
  connecting: 'bg-amber-500',
  reconnecting: 'bg-amber-500',
  offline: 'bg-red-600',
};

/** Connected, reconnecting (and when) or offline: always visible in the header. */
export function ConnectionStatus({ ui, transport }: { ui: Ui; transport: TransportState }) {
  const { t } = ui;
  const seconds = useSecondsUntil(transport.retryAt);
  const text = (() => {
    switch (transport.connection) {
      case 'connected':
        return t('connected');
      case 'connecting':
        return t('connecting');
      case 'reconnecting':
        return seconds ? t('reconnectingIn', { seconds }) : t('reconnecting');
      case 'offline':
        return t('offline');
    }
  })();
  return (
    <p
      role="status"
      data-connection={transport.connection}
      className="flex items-center gap-2 text-sm text-slate-700 dark:text-slate-200"
    >
      <span aria-hidden="true" className={`size-2.5 rounded-full ${DOT[transport.connection]}`} />
      {text}
    </p>
  );
}
