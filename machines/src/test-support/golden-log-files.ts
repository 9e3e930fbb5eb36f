import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConversationContext } from '../conversation-context.ts';
import type { LogEntry } from '../log-entry.ts';

/** A golden log as the recorder stored it (server/test/golden/record-golden-logs.ts). */
export interface GoldenLog {
  scenario: string;
  recordedWith: { machineVersion: number; commit: string };
  entries: LogEntry[];
  snapshot: { value: unknown; context: ConversationContext };
}

const ROOT = new URL('../../test-fixtures/golden-logs/', import.meta.url).pathname;

/** Every committed golden log, one folder per machine version: `v1/approve.json`, … */
export function goldenLogFiles(): { path: string; folder: string; name: string; log: GoldenLog }[] {
  return readdirSync(ROOT, { withFileTypes: true })
    .filter((dir) => dir.isDirectory())
    .flatMap((dir) =>
      readdirSync(join(ROOT, dir.name))
        .filter((name) => name.endsWith('.json'))
        .map((name) => {
          const path = `${dir.name}/${name}`;
          const log = JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as GoldenLog;
          return { path, folder: dir.name, name: name.replace(/\.json$/, ''), log };
        }),
    );
}
