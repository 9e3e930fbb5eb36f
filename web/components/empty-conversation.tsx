import type { TollgateClient } from '../lib/tollgate-client.ts';
import { Composer } from './composer.tsx';
import type { Ui } from './ui.ts';

/** No conversation open: sending a message starts one. */
export function EmptyConversation({
  ui,
  client,
  connected,
  onCreate,
}: {
  ui: Ui;
  client: TollgateClient;
  connected: boolean;
  onCreate: () => Promise<string>;
}) {
  return (
    <>
      <main className="flex flex-1 items-center justify-center overflow-y-auto p-6">
        <p className="max-w-md text-center text-slate-600 dark:text-slate-300">
          {ui.t('pickConversation')}
        </p>
      </main>
      <Composer
        ui={ui}
        busy={false}
        canSend={connected}
        onSend={async (text, images) => {
          const id = await onCreate();
          client.send(id, { type: 'user.message', text, ...(images.length > 0 ? { images } : {}) });
        }}
        onStop={() => undefined}
      />
    </>
  );
}
