// A small seeded PRNG (mulberry32): the same seed gives the same dataset and the same load
// pattern on every machine, so two benchmark runs measure the same work.
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  /** An index in [0, n) skewed towards 0: a few items get most of the attention, as in real threads. */
  skewed(n: number, power?: number): number;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    pick: (items) => items[int(items.length)]!,
    skewed: (n, power = 3) => Math.min(n - 1, Math.floor(n * next() ** power)),
  };
}
