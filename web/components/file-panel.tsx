import type { ToolRun } from '@tollgate/machines';
import { useContext, useEffect, useState } from 'react';
import { useChunkTail } from '../hooks/use-chunk-tail.ts';
import { useLiveRun } from '../hooks/use-live-run.ts';
import { formatBytes } from '../lib/format-bytes.ts';
import { markSelfDrawnRun } from '../lib/live-runs.ts';
import { LiveContext } from '../lib/live-text.ts';
import { CopyButton } from './copy-button.tsx';
import { FileText } from './file-text.tsx';
import type { Ui } from './ui.ts';

/**
 * A file being written, live: which file, how many chunks, how far along, then the proof that it
 * is complete (size and sha256 from the tool). The text shown is exactly the chunks received,
 * which concatenate to the file on disk byte for byte. While the file streams, the panel draws
 * each chunk by itself (use-live-run.ts); once its text box is full, so that a chunk no longer
 * moves anything around it, the conversation's view is not rendered for chunks (live-runs.ts).
 */
export function FilePanel({
  ui,
  toolUseId,
  path,
  run: rendered,
}: {
  ui: Ui;
  toolUseId: string;
  path: string;
  run: ToolRun;
}) {
  const { t, locale } = ui;
  const run = useLiveRun(toolUseId, rendered);
  const readAdded = useChunkTail(toolUseId);
  const source = useContext(LiveContext);
  const [full, setFull] = useState(false);
  // Running as the mirror has it, so running as the view rendered it too, and useLiveRun hears
  // each chunk.
  const streaming = run.status === 'running';
  const drawsItself = full && streaming;
  useEffect(() => {
    if (source === null) return;
    markSelfDrawnRun(source, toolUseId, drawsItself);
    return () => markSelfDrawnRun(source, toolUseId, false);
  }, [source, toolUseId, drawsItself]);
  const file = run.result?.file ?? null;
  const total = run.total ?? 0;
  const done = run.status === 'completed' && run.result !== null && !run.result.isError;
  const heading = (() => {
    if (done && file) return t('fileCreated');
    if (run.status === 'failed') return t('toolFailed', { message: run.error ?? '' });
    if (run.status === 'cancelled') return t('runCancelled');
    if (run.status === 'completed' && run.result?.isError) {
      return t('toolError', { message: run.result.content });
    }
    if (run.status === 'queued') return t('runQueued');
    return t('writingFile', { path });
  })();
  const failed = run.status === 'failed' || run.status === 'cancelled' || run.result?.isError;
  const percent = total > 0 ? Math.min(100, (run.progress / total) * 100) : done ? 100 : 0;

  return (
    <section
      className="flex flex-col gap-2"
      aria-label={t('writingFile', { path })}
      data-run-status={run.status}
      data-chunks={run.chunks}
    >
      {/* While the file streams, the count's growing digits must not wrap the line: the panel
          draws its chunks by itself, and grows no taller while it does (live-runs.ts). */}
      <div
        className={`flex items-baseline justify-between gap-x-4 gap-y-1 ${streaming ? 'flex-nowrap' : 'flex-wrap'}`}
      >
        <p
          className={`font-medium ${streaming ? 'min-w-0 truncate' : ''} ${failed ? 'text-red-800 dark:text-red-200' : done ? 'text-green-800 dark:text-green-300' : ''}`}
          role={failed ? 'alert' : undefined}
        >
          {heading}
        </p>
        {run.chunks > 0 ? (
          <p className="shrink-0 text-sm tabular-nums text-slate-600 dark:text-slate-300">
            {t('chunkReceived', { n: run.chunks })}
          </p>
        ) : null}
      </div>
      {run.total !== null ? (
        <div className="flex items-center gap-3">
          <div
            role="progressbar"
            aria-label={t('writingFile', { path })}
            aria-valuemin={0}
            aria-valuemax={total}
            aria-valuenow={run.progress}
            aria-valuetext={t('bytesOf', {
              done: formatBytes(run.progress, locale),
              total: formatBytes(total, locale),
            })}
            className="h-2 flex-1 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
          >
            <div
              // Scaled, not resized: a new width each frame would lay the page out again, and a
              // transition on it restarted at every chunk.
              className={`h-full w-full origin-left rounded-full ${done ? 'bg-green-600' : 'bg-blue-600'}`}
              style={{ transform: `scaleX(${percent / 100})` }}
            />
          </div>
          <p className="shrink-0 text-sm tabular-nums text-slate-600 dark:text-slate-300">
            {t('bytesOf', {
              done: formatBytes(run.progress, locale),
              total: formatBytes(total, locale),
            })}
          </p>
        </div>
      ) : null}
      {done && file ? (
        <p
          className="break-all text-sm text-slate-700 dark:text-slate-300"
          data-testid="file-proof"
        >
          <code>{file.path}</code> ·{' '}
          {t('fileDetail', { size: formatBytes(file.bytes, locale), sha256: file.sha256 })}
        </p>
      ) : null}
      {run.text.length > 0 ? (
        <>
          <FileText text={run.text} label={path} readAdded={readAdded} onFull={setFull} />
          {/* The panel draws only the lines in view, so selecting in it reaches only those; this
              is how a person takes the whole file. */}
          {done ? <CopyButton ui={ui} label={ui.t('copyFile')} text={run.text} /> : null}
        </>
      ) : null}
    </section>
  );
}
