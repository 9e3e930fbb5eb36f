import type { InspectionEvent } from 'xstate';
import type { Logger } from '../logger.ts';

/** Where INSPECT=stately sends the actors, besides the JSON-lines trace. */
export interface StatelyInspector {
  inspect(event: InspectionEvent): void;
  stop(): void;
}

/** Builds the inspector; tests pass their own so that nothing reaches the network. */
export type StatelyInspectorFactory = (logger: Logger) => Promise<StatelyInspector>;

/**
 * Stately's Sky inspector: it opens a socket to stately.ai and prints a link to a live inspect
 * session. The package is imported here, on demand, so that without INSPECT=stately it is never
 * loaded and nothing connects anywhere.
 */
export const skyInspector: StatelyInspectorFactory = async (logger) => {
  const { createSkyInspector } = await import('@statelyai/inspect');
  const sky = createSkyInspector({
    // Its default is console.error; a lost connection to stately.ai must not look like a crash.
    onerror: (error) => logger.warn({ err: error }, "INSPECT=stately: Stately's inspector failed"),
  });
  logger.info('INSPECT=stately: sending actors to stately.ai (the link follows once connected)');
  return {
    inspect: (event) => sky.inspect.next?.(event),
    stop: () => sky.stop(),
  };
};
