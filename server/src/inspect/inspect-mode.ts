/**
 * What INSPECT asks for. `trace` (INSPECT=1 or true) appends every inspection event to
 * DATA_DIR/inspect.jsonl and works offline; `stately` writes that trace too and also sends the
 * actors to Stately's online inspector. Null: nothing is inspected.
 */
export type InspectMode = 'trace' | 'stately';

export type InspectModeResult =
  | { ok: true; mode: InspectMode | null }
  | { ok: false; problem: string };

// `0` and `false` stay accepted as off: before `stately`, any value but 1 or true meant off, and
// an .env that says INSPECT=0 should not stop the server from starting.
const VALUES: Record<string, InspectMode | null> = {
  '': null,
  '0': null,
  false: null,
  '1': 'trace',
  true: 'trace',
  stately: 'stately',
};

export function readInspectMode(raw: string | undefined): InspectModeResult {
  const value = (raw ?? '').trim().toLowerCase();
  if (Object.hasOwn(VALUES, value)) return { ok: true, mode: VALUES[value] ?? null };
  return {
    ok: false,
    problem: `INSPECT="${raw}" must be 1 (trace to DATA_DIR/inspect.jsonl), stately (the same, and Stately's online inspector) or empty.`,
  };
}
