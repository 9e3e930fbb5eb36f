import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { InspectionEvent } from 'xstate';
import type { Logger } from '../logger.ts';
import type { StatelyInspectorFactory } from './stately-inspector.ts';
import { traceLine } from './trace-line.ts';

export interface InspectionOptions {
  /** INSPECT=stately: every event also goes to the inspector this builds. */
  stately?: StatelyInspectorFactory | null;
}

/**
 * INSPECT=1: every inspection event of every conversation actor (events received, transitions,
 * snapshots, actors spawned) is appended as one JSON line to DATA_DIR/inspect.jsonl. It works
 * offline and can be read with `tail -f`, `jq`, or replayed into any XState inspector.
 * INSPECT=stately writes the same file and also hands each event to Stately's inspector.
 */
export async function createInspection(
  dataDir: string,
  logger: Logger,
  options: InspectionOptions = {},
) {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'inspect.jsonl');
  const stately = options.stately ? await options.stately(logger) : null;
  const out = createWriteStream(file, { flags: 'a' });
  // A full disk must cost the trace, not the server: an 'error' with no listener would crash it.
  out.on('error', (error) => logger.error({ err: error, file }, 'INSPECT: the trace failed'));
  logger.info({ file }, `INSPECT=${stately ? 'stately' : '1'}: tracing actors`);
  let closed = false;
  return {
    file,
    inspect(event: InspectionEvent) {
      // Writing to the ended stream would be an error: an event that comes after close is dropped.
      if (closed) return;
      out.write(traceLine(event, Date.now()));
      stately?.inspect(event);
    },
    /** Resolves once every line is on disk, so a shutdown that exits next loses none. */
    close(): Promise<void> {
      if (closed) return Promise.resolve();
      closed = true;
      stately?.stop();
      return new Promise((resolve) => {
        out.once('error', () => resolve());
        out.end(resolve);
      });
    },
  };
}

export type Inspection = Awaited<ReturnType<typeof createInspection>>;
