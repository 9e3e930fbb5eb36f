import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { InspectionEvent } from 'xstate';
import type { Logger } from '../logger.ts';

/**
 * INSPECT=1: every inspection event of every conversation actor (events received, transitions,
 * snapshots, actors spawned) is appended as one JSON line to DATA_DIR/inspect.jsonl. It works
 * offline and can be read with `tail -f`, `jq`, or replayed into any XState inspector.
 */
export function createInspection(dataDir: string, logger: Logger) {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'inspect.jsonl');
  const out = createWriteStream(file, { flags: 'a' });
  logger.info({ file }, 'INSPECT=1: tracing actors');
  return {
    file,
    inspect(event: InspectionEvent) {
      const line: Record<string, unknown> = {
        type: event.type,
        actor: event.actorRef.sessionId,
        at: Date.now(),
      };
      if (event.type === '@xstate.event') {
        line.event = event.event;
        line.source = event.sourceRef?.sessionId ?? null;
      }
      if (event.type === '@xstate.snapshot') {
        const snapshot = event.snapshot as { value?: unknown; status?: string };
        line.value = snapshot.value ?? null;
        line.status = snapshot.status ?? null;
      }
      if (event.type === '@xstate.microstep') {
        line.transitions = event._transitions.map((t) => ({
          source: t.source.key,
          targets: (t.target ?? []).map((node) => node.key),
          event: t.eventType,
        }));
      }
      out.write(`${JSON.stringify(line)}\n`);
    },
    close: () => out.end(),
  };
}
