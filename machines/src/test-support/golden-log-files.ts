import type { ConversationContext } from '../conversation-context.ts';
import type { LogEntry } from '../log-entry.ts';

/** A golden log as the recorder stored it (server/test/golden/record-golden-logs.ts). */
export interface GoldenLog {
  scenario: string;
  recordedWith: { machineVersion: number; commit: string };
  entries: LogEntry[];
  snapshot: { value: unknown; context: ConversationContext };
}

/**
 * The two reads the golden logs need. A test passes `node:fs`: machines/ stays pure, test
 * support included, and the IO is the test's own.
 */
export interface GoldenLogReader {
  readdirSync(path: string): string[];
  readFileSync(path: string, encoding: 'utf8'): string;
}

const ROOT = new URL('../../test-fixtures/golden-logs/', import.meta.url).pathname;
/** One folder per machine version. */
const VERSION_FOLDER = /^v\d+$/;

/** Every committed golden log, one folder per machine version: `v1/approve.json`, … */
export function goldenLogFiles(
  fs: GoldenLogReader,
): { path: string; folder: string; name: string; log: GoldenLog }[] {
  return fs
    .readdirSync(ROOT)
    .filter((folder) => VERSION_FOLDER.test(folder))
    .flatMap((folder) =>
      fs
        .readdirSync(`${ROOT}${folder}`)
        .filter((name) => name.endsWith('.json'))
        .map((name) => {
          const path = `${folder}/${name}`;
          const log = JSON.parse(fs.readFileSync(`${ROOT}${path}`, 'utf8')) as GoldenLog;
          return { path, folder, name: name.replace(/\.json$/, ''), log };
        }),
    );
}
