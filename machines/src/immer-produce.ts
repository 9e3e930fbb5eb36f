import { Immer } from 'immer';

/**
 * The machine's own Immer instance. Auto-freezing is off: XState never mutates a snapshot, and
 * freezing every new object on every event costs more than the rest of a replay together.
 * A private instance leaves the global immer settings of the server and the page alone.
 */
export const { produce } = new Immer({ autoFreeze: false });
