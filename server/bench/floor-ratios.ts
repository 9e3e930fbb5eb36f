// Issue 23's targets are ratios to a floor measured in the same run (the plain forwarder, the
// empty page), never absolute times from another day. Each benchmark that gates such a target
// records one `RatioSample` per run and prints them here in one form: every run's figure, its
// floor and the ratio, and in how many runs the target was met.

export interface RatioSample {
  /** Tollgate's figure in this run. */
  value: number;
  /** The floor's figure in the same run. */
  floor: number;
}

export interface RatioTarget {
  /** What is compared, e.g. "200 conversations paced: p99 to the client". */
  name: string;
  /** The figures' unit, e.g. "ms". */
  unit: string;
  /** The largest ratio that meets the target. */
  atMost: number;
  samples: RatioSample[];
}

/** Absolute ceilings (the server's memory) print the same way, with the ceiling as the floor. */
export interface CeilingTarget {
  name: string;
  unit: string;
  ceiling: number;
  values: number[];
}

const fixed = (value: number, digits: number) =>
  Number.isFinite(value) ? value.toFixed(digits) : '—';

const ratioOf = ({ value, floor }: RatioSample) => value / floor;

/** How many runs met it, and whether that is at least 4 in 5 (issue 23's bar). */
function tally(met: number, runs: number) {
  const enough = runs > 0 && met * 5 >= runs * 4;
  return `met in ${met} of ${runs}${runs >= 5 ? (enough ? ' → MET' : ' → NOT MET') : ''}`;
}

export function ratioTargetLines(target: RatioTarget, digits = 1): string[] {
  const met = target.samples.filter((sample) => ratioOf(sample) <= target.atMost).length;
  return [
    `  ${target.name} (target ≤ ${target.atMost}× the floor): ${tally(met, target.samples.length)}`,
    ...target.samples.map(
      (sample, i) =>
        `    run ${i + 1}: ${fixed(sample.value, digits)} ${target.unit}, floor ${fixed(sample.floor, digits)} ${target.unit}, ` +
        `ratio ${fixed(ratioOf(sample), 2)}×${ratioOf(sample) <= target.atMost ? '' : '  (over)'}`,
    ),
  ];
}

export function ceilingTargetLines(target: CeilingTarget, digits = 1): string[] {
  const met = target.values.filter((value) => value <= target.ceiling).length;
  return [
    `  ${target.name} (target ≤ ${target.ceiling} ${target.unit}): ${tally(met, target.values.length)}`,
    `    runs: ${target.values.map((value) => `${fixed(value, digits)}${value <= target.ceiling ? '' : ' (over)'}`).join(', ')} ${target.unit}`,
  ];
}

/** Prints a benchmark's targets under one heading. */
export function printTargets(heading: string, lines: string[][]) {
  console.log(`\n${heading}`);
  for (const block of lines) for (const line of block) console.log(line);
}
