import type { UserItem } from '@tollgate/machines';
import { memo } from 'react';
import type { Ui } from './ui.ts';

/** What the person wrote, as they wrote it (no markdown: it is their text, not a document). */
export const UserMessage = memo(function UserMessage({ ui, item }: { ui: Ui; item: UserItem }) {
  return (
    <article className="ml-auto w-fit max-w-[85%] rounded-2xl bg-blue-700 px-4 py-2.5 text-white">
      <h2 className="sr-only">{ui.t('you')}</h2>
      <p className="whitespace-pre-wrap break-words">{item.text}</p>
    </article>
  );
});
