// The geometry of the activity chart: one line per series over the days, on a shared y scale.
import type { DayActivity } from '../../../db/moderation-stats.ts';

export const SERIES = [
  { key: 'comments', label: 'Comments' },
  { key: 'flags', label: 'Flags' },
  { key: 'removals', label: 'Removals' },
] as const;

export interface ChartGeometry {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  ticks: { value: number; y: number }[];
  lines: { key: (typeof SERIES)[number]['key']; label: string; points: string }[];
  /** Labels on the x axis: the first day, every 7th, the last. */
  days: { label: string; x: number }[];
}

/** A round upper bound (1, 2, 5 × 10^n) at or above `max`, so ticks land on whole numbers. */
export function niceMax(max: number): number {
  if (max <= 4) return 4;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].find((m) => m * power >= max)!;
  return step * power;
}

export function chartGeometry(days: readonly DayActivity[], width = 720, height = 260): ChartGeometry {
  const plot = { left: 40, top: 12, right: width - 12, bottom: height - 28 };
  const top = niceMax(Math.max(0, ...days.flatMap((d) => [d.comments, d.flags, d.removals])));
  const x = (i: number) => plot.left + (days.length <= 1 ? 0 : (i * (plot.right - plot.left)) / (days.length - 1));
  const y = (v: number) => plot.bottom - (v / top) * (plot.bottom - plot.top);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    width,
    height,
    plot,
    ticks: [0, 0.25, 0.5, 0.75, 1].map((f) => ({ value: f * top, y: round(y(f * top)) })),
    lines: SERIES.map((s) => ({ key: s.key, label: s.label, points: days.map((d, i) => `${round(x(i))},${round(y(d[s.key]))}`).join(' ') })),
    days: days
      .map((d, i) => ({ label: d.day.slice(5), x: round(x(i)), i }))
      .filter(({ i }) => i % 7 === 0 || i === days.length - 1)
      .map(({ label, x: at }) => ({ label, x: at })),
  };
}
