// Dates as readers read them. Front-matter dates are calendar days (midnight UTC), so format in UTC
// or a reader west of Greenwich would see the day before.
const long = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function formatDate(date: Date): string {
  return long.format(date);
}

/** The machine-readable day for <time datetime>. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
