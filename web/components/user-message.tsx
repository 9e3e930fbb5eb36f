import type { UserItem } from '@tollgate/machines';
import { memo } from 'react';
import { imageSrc } from '../lib/image-uploads.ts';
import type { Ui } from './ui.ts';

/** What the person wrote, as they wrote it (no markdown: it is their text, not a document). */
export const UserMessage = memo(function UserMessage({ ui, item }: { ui: Ui; item: UserItem }) {
  return (
    <article className="ml-auto w-fit max-w-[85%] rounded-2xl bg-blue-700 px-4 py-2.5 text-white">
      <h2 className="sr-only">{ui.t('you')}</h2>
      {item.images ? (
        <ul aria-label={ui.t('messageImages')} className="mb-2 flex flex-wrap justify-end gap-2">
          {item.images.map((image, i) => (
            <li key={image.sha256}>
              <a href={imageSrc(image.sha256)} target="_blank" rel="noopener noreferrer">
                {/* biome-ignore lint/performance/noImgElement: served by the app's own route */}
                <img
                  src={imageSrc(image.sha256)}
                  alt={ui.t('attachedImage', { number: i + 1 })}
                  width={image.width}
                  height={image.height}
                  loading="lazy"
                  className="h-24 w-auto max-w-48 rounded-lg bg-white object-contain"
                />
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      <p className="whitespace-pre-wrap break-words">{item.text}</p>
    </article>
  );
});
