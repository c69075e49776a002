// Rate limits as plain values and one pure check: how long until another attempt fits.
export interface RateLimit {
  windowMs: number;
  max: number;
}

/** Whole seconds until `limits` allow another attempt, given the times of recent ones (0: now). */
export function limitWait(recent: readonly number[], limits: readonly RateLimit[], now: number): number {
  let wait = 0;
  for (const { windowMs, max } of limits) {
    const inWindow = recent.filter((t) => t > now - windowMs).sort((a, b) => b - a);
    if (inWindow.length >= max) wait = Math.max(wait, inWindow[max - 1]! + windowMs - now);
  }
  return Math.ceil(wait / 1000);
}
