import { type ImageAttachment, MAX_IMAGES_PER_MESSAGE } from '@tollgate/machines';
import { useCallback, useEffect, useRef, useState } from 'react';
import { uploadImage } from '../lib/image-uploads.ts';

/** An image on its way into the next message: uploading, ready to be named, or refused. */
export interface PendingImage {
  key: number;
  name: string;
  /** A local URL of the file, for its thumbnail before the server has it. */
  preview: string;
  status: 'uploading' | 'ready';
  image: ImageAttachment | null;
}

/**
 * The images the composer will send: each file is uploaded as soon as it is added (pasted, dropped
 * or picked), shown as a thumbnail, and removable. A refused file is not kept; its reason is.
 */
export function useImageAttachments() {
  const [pending, setPending] = useState<PendingImage[]>([]);
  /** Why the last file was not attached: too many for one message, or refused (in the server's words). */
  const [failure, setFailure] = useState<'tooMany' | { name: string; message: string } | null>(
    null,
  );
  const nextKey = useRef(0);
  const live = useRef(pending);
  live.current = pending;

  // Local URLs hold their file in memory until revoked.
  useEffect(
    () => () => {
      for (const item of live.current) URL.revokeObjectURL(item.preview);
    },
    [],
  );

  const add = useCallback((files: File[]) => {
    setFailure(null);
    const room = MAX_IMAGES_PER_MESSAGE - live.current.length;
    if (files.length > room) {
      setFailure('tooMany');
    }
    for (const file of files.slice(0, Math.max(0, room))) {
      const key = nextKey.current++;
      const preview = URL.createObjectURL(file);
      setPending((items) => [
        ...items,
        { key, name: file.name, preview, status: 'uploading', image: null },
      ]);
      void uploadImage(file).then((outcome) => {
        setPending((items) => {
          if (!items.some((item) => item.key === key)) return items; // removed meanwhile
          const duplicate =
            outcome.ok &&
            items.some((item) => item.key !== key && item.image?.sha256 === outcome.image.sha256);
          if (!outcome.ok || duplicate) {
            URL.revokeObjectURL(preview);
            return items.filter((item) => item.key !== key);
          }
          return items.map((item) =>
            item.key === key ? { ...item, status: 'ready', image: outcome.image } : item,
          );
        });
        if (!outcome.ok) setFailure({ name: file.name, message: outcome.message });
      });
    }
  }, []);

  const remove = useCallback((key: number) => {
    setPending((items) => {
      const gone = items.find((item) => item.key === key);
      if (gone) URL.revokeObjectURL(gone.preview);
      return items.filter((item) => item.key !== key);
    });
  }, []);

  /** Empties the list (after a send) and gives back what it held. */
  const take = useCallback((): PendingImage[] => {
    const taken = live.current;
    setPending([]);
    setFailure(null);
    return taken;
  }, []);

  /** Puts images back (a send that failed), keeping their previews. */
  const restore = useCallback((items: PendingImage[]) => setPending(items), []);

  /** Frees the previews of images that were sent (the timeline shows the server's copy). */
  const release = useCallback((items: PendingImage[]) => {
    for (const item of items) URL.revokeObjectURL(item.preview);
  }, []);

  return {
    pending,
    failure,
    uploading: pending.some((item) => item.status === 'uploading'),
    add,
    remove,
    take,
    restore,
    release,
  };
}
