// Dates and ages as the dashboard shows them. UTC, so every admin reads the same day.

const DAY = 86_400_000;

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** "today", "3 days", "5 months", "2 years": how long ago, roughly. */
export function ageText(since: number, now: number): string {
  const days = Math.floor((now - since) / DAY);
  if (days < 1) return 'less than a day';
  if (days < 60) return days === 1 ? '1 day' : `${days} days`;
  if (days < 730) return `${Math.floor(days / 30)} months`;
  return `${Math.floor(days / 365)} years`;
}

/** A YYYY-MM-DD date from a form as Unix ms at 00:00 UTC, or undefined when empty or malformed. */
export function parseDay(raw: string | null): number | undefined {
  if (!raw || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) return undefined;
  const ms = Date.parse(`${raw}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

export const DAY_MS = DAY;
