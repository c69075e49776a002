// Dates as the account pages show them. UTC and a fixed locale, so a page reads the same
// wherever the server runs.
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});
const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export const formatDateTime = (ms: number): string => DATE_TIME.format(ms);
export const formatMonth = (ms: number): string => MONTH.format(ms);
export const formatDay = (ms: number): string => DAY.format(ms);
export const isoDate = (ms: number): string => new Date(ms).toISOString();
