// Random texts for the tests that check a rule against the page's own renderer: seeded, so a
// failing text comes back the same in every run.

/**
 * Floats in [0, 1), fully determined by `seed`: a linear congruential step, rounded where the
 * product outgrows a double's 53 bits, which keeps it deterministic (not a textbook generator).
 */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** One of `items`, chosen with `random`. */
export function randomItem<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}
