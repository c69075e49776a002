// The geometry of the activity chart: one line per series over the days, on a shared y scale.

export interface DayActivity {
  /** UTC date, YYYY-MM-DD. */
  day: string;
  comments: number;
  flags: number;
  removals: number;
}

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
  /** Labels on the x axis: every 7th day from the first, and the last (none crowding it). */
  days: { label: string; x: number }[];
}

export const TICKS = 4;

/** The top of the y axis: four steps of a round size (1, 2, 5 × 10^n), so every tick is a whole number. */
export function niceMax(max: number): number {
  const rough = Math.max(1, Math.ceil(max / TICKS));
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].find((m) => m * power >= rough)! * power;
  return step * TICKS;
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
    ticks: Array.from({ length: TICKS + 1 }, (_, i) => (i * top) / TICKS).map((value) => ({ value, y: round(y(value)) })),
    lines: SERIES.map((s) => ({ key: s.key, label: s.label, points: days.map((d, i) => `${round(x(i))},${round(y(d[s.key]))}`).join(' ') })),
    days: days
      .map((d, i) => ({ label: d.day.slice(5), x: round(x(i)), i }))
      .filter(({ i }) => i === days.length - 1 || (i % 7 === 0 && days.length - 1 - i >= 4))
      .map(({ label, x: at }) => ({ label, x: at })),
  };
}
