import { MAX_IMAGES_PER_MESSAGE } from '@tollgate/machines';
import type { PendingImage } from '../hooks/use-image-attachments.ts';
import type { Ui } from './ui.ts';

/** The images the next message will carry, as thumbnails, each removable; and why one was not. */
export function ComposerImages({
  ui,
  pending,
  failure,
  onRemove,
}: {
  ui: Ui;
  pending: PendingImage[];
  failure: 'tooMany' | { name: string; message: string } | null;
  onRemove: (key: number) => void;
}) {
  const { t } = ui;
  if (pending.length === 0 && failure === null) return null;
  return (
    <div className="mx-auto mb-2 max-w-3xl">
      {pending.length > 0 ? (
        <ul aria-label={t('imagesToSend')} className="flex flex-wrap gap-2">
          {pending.map((item, i) => (
            <li key={item.key} className="relative">
              {/* A local preview of the file: next/image cannot show a blob URL. */}
              {/* biome-ignore lint/performance/noImgElement: a blob: URL of the person's own file */}
              <img
                src={item.preview}
                alt={t('attachedImage', { number: i + 1 })}
                className={`h-16 w-16 rounded-lg border border-slate-300 object-cover dark:border-slate-600 ${item.status === 'uploading' ? 'opacity-50' : ''}`}
              />
              {item.status === 'uploading' ? (
                <span className="absolute inset-x-0 bottom-0 rounded-b-lg bg-black/60 text-center text-white text-xs">
                  {t('imageUploading')}
                </span>
              ) : null}
              <button
                type="button"
                aria-label={t('removeImage', { number: i + 1 })}
                onClick={() => onRemove(item.key)}
                className="-right-2 -top-2 absolute flex h-6 w-6 items-center justify-center rounded-full bg-slate-800 text-sm text-white hover:bg-slate-950"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {failure === null ? null : (
        <p role="alert" className="mt-1 text-red-700 text-sm dark:text-red-400">
          {failure === 'tooMany'
            ? t('imagesTooMany', { count: MAX_IMAGES_PER_MESSAGE })
            : t('imageRefused', { name: failure.name, message: failure.message })}
        </p>
      )}
    </div>
  );
}
