export interface Arrival {
  type: string;
  /** The entry's `at`: when the server appended and sent it (epoch ms). */
  at: number;
  arrival: number;
  /** File: characters of chunk text so far; text: stamped deltas so far. */
  reach: number;
  /** Text deltas: the Claude stand-in's send time read from the stamp. */
  stamp: number | null;
}

export interface Paint {
  time: number;
  fileChars: number;
  textDeltas: number;
}

export interface Probes {
  arrivals: Arrival[];
  /** When each change was in the DOM, before it was painted. */
  doms: Paint[];
  paints: Paint[];
  longTasks: { start: number; duration: number }[];
}

export function installProbes(): void;
export function readProbes(): Probes;
export function stampsShown(count: number): boolean;
