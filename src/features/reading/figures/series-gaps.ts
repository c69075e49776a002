// Measured series drawn as lines must not jump over years they have no data for: a line through a
// gap draws a trend nobody measured. The unit tests hold every series here to MAX_GAP_DAYS.
import { WECHAT_MAU } from './wechat-mau.ts';

/** Two years, counting a leap day. */
export const MAX_GAP_DAYS = 2 * 365 + 1;

/** Every dated series a figure draws as a line, by figure name. */
export const MEASURED_SERIES: Readonly<Record<string, readonly { date: string }[]>> = {
  'mau-chart': WECHAT_MAU,
};

export interface Gap {
  from: string;
  to: string;
  days: number;
}

/** The longest stretch between two consecutive points of a dated series (null for fewer than two). */
export function longestGap(points: readonly { date: string }[]): Gap | null {
  let longest: Gap | null = null;
  for (let i = 1; i < points.length; i++) {
    const from = points[i - 1]!.date;
    const to = points[i]!.date;
    const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
    if (!longest || days > longest.days) longest = { from, to, days };
  }
  return longest;
}
