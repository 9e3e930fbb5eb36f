import { IMAGE_MEDIA_TYPES, type ImageAttachment } from '@tollgate/machines';
import {
  type ClipboardEvent,
  type DragEvent,
  type FormEvent,
  type KeyboardEvent,
  useId,
  useRef,
  useState,
} from 'react';
import { useImageAttachments } from '../hooks/use-image-attachments.ts';
import { imageFiles } from '../lib/image-uploads.ts';
import { ComposerImages } from './composer-images.tsx';
import { StopButton } from './stop-button.tsx';
import type { Ui } from './ui.ts';

/**
 * The message box. Enter sends, Shift+Enter starts a new line (and Enter while an input method is
 * composing a character does neither). Stop shows while Claude streams or a tool runs. Images
 * pasted into it, dropped onto it or picked with "Attach image" are uploaded at once and shown as
 * removable thumbnails; Send waits until every one is uploaded.
 */
export function Composer({
  ui,
  busy,
  canSend,
  onSend,
  onStop,
}: {
  ui: Ui;
  busy: boolean;
  canSend: boolean;
  onSend: (text: string, images: ImageAttachment[]) => void | Promise<void>;
  onStop: () => void;
}) {
  const { t } = ui;
  const [text, setText] = useState('');
  const id = useId();
  const picker = useRef<HTMLInputElement>(null);
  const attachments = useImageAttachments();
  const [dragging, setDragging] = useState(false);
  const ready = canSend && !busy && text.trim().length > 0 && !attachments.uploading;

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!ready) return;
    const sent = text;
    const images = attachments.take();
    setText('');
    // If starting the conversation fails, the text and images come back rather than being lost.
    void Promise.resolve(
      onSend(
        sent,
        images.flatMap((item) => (item.image ? [item.image] : [])),
      ),
    ).then(
      () => attachments.release(images),
      () => {
        setText(sent);
        attachments.restore(images);
      },
    );
  };

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = imageFiles(event.clipboardData.files);
    if (files.length === 0) return; // text is pasted as usual
    event.preventDefault();
    attachments.add(files);
  };

  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    setDragging(true);
  };

  const onDrop = (event: DragEvent) => {
    setDragging(false);
    const files = imageFiles(event.dataTransfer.files);
    if (files.length === 0) return;
    event.preventDefault();
    attachments.add(files);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form
      onSubmit={submit}
      onDragOver={onDragOver}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      className={`border-t border-slate-200 bg-white px-3 py-3 sm:px-4 dark:border-slate-800 dark:bg-slate-950 ${dragging ? 'outline-2 outline-blue-600 outline-dashed -outline-offset-4' : ''}`}
    >
      <ComposerImages
        ui={ui}
        pending={attachments.pending}
        failure={attachments.failure}
        onRemove={attachments.remove}
      />
      <div className="mx-auto flex max-w-3xl items-end gap-2">
        {/* Hidden: the button below is what a person (and assistive technology) uses. */}
        <input
          ref={picker}
          type="file"
          accept={IMAGE_MEDIA_TYPES.join(',')}
          multiple
          hidden
          data-testid="image-picker"
          onChange={(event) => {
            attachments.add(imageFiles(event.target.files));
            event.target.value = '';
          }}
        />
        <button
          type="button"
          aria-label={t('attachImage')}
          title={t('attachImage')}
          disabled={!canSend}
          onClick={() => picker.current?.click()}
          className="min-h-11 rounded-xl border border-slate-300 px-3 text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800"
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5" fill="currentColor">
            <path d="M4 3a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2H4Zm12 12H4l4-6 3 4 2-2 3 4Zm-3-7.5a1.5 1.5 0 1 1 0-3 1.5 1.5 0 0 1 0 3Z" />
          </svg>
        </button>
        <label htmlFor={id} className="sr-only">
          {t('message')}
        </label>
        <textarea
          id={id}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          rows={1}
          placeholder={t('messagePlaceholder')}
          // While Claude works, the caret stays lit instead of blinking: Chromium blinks it as a
          // compositor animation, which draws a frame at every vsync, and a page that draws at
          // every vsync paints each streamed delta only at the next one (docs/performance.md).
          className={`field-sizing-content max-h-48 min-h-11 flex-1 resize-none rounded-xl border border-slate-300 bg-white px-3 py-2.5 text-base placeholder:text-slate-500 dark:border-slate-600 dark:bg-slate-900 dark:placeholder:text-slate-400 ${busy ? '[caret-animation:manual]' : ''}`}
        />
        {busy ? <StopButton ui={ui} onStop={onStop} /> : null}
        <button
          type="submit"
          disabled={!ready}
          className="min-h-11 rounded-xl bg-blue-700 px-4 font-medium text-white hover:bg-blue-800 disabled:cursor-not-allowed disabled:bg-slate-400 dark:disabled:bg-slate-700"
        >
          {t('send')}
        </button>
      </div>
    </form>
  );
}
