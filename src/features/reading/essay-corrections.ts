// The corrections log: every essay's "Updates and corrections" entries, gathered for the site-wide
// page and feed. Pure: pages fetch the collection and pass it in.

/** A correction's permanent id: its date, then lower-case words. Also its anchor on both pages. */
export const CORRECTION_ID = /^\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface Correction {
  id: string;
  date: Date;
  change: string;
  reason: string;
}

export interface EssayWithCorrections {
  id: string;
  data: { title: string; corrections: readonly Correction[] };
}

export interface LoggedCorrection extends Correction {
  essay: { id: string; title: string };
}

/** Where an entry lives in its essay, and in the site-wide log. */
export const correctionInEssay = (essay: string, id: string) => `/essays/${essay}/#${id}`;
export const correctionInLog = (id: string) => `/corrections/#${id}`;

/**
 * Every correction across the essays, newest first (then by essay and id, so the order is stable).
 * Throws when two entries share an id: an anchor must lead to one entry only.
 */
export function correctionLog(essays: readonly EssayWithCorrections[]): LoggedCorrection[] {
  const seen = new Map<string, string>();
  const log: LoggedCorrection[] = [];
  for (const essay of essays) {
    for (const c of essay.data.corrections) {
      const other = seen.get(c.id);
      if (other) throw new Error(`Correction id "${c.id}" is used by both ${other} and ${essay.id}`);
      seen.set(c.id, essay.id);
      log.push({ ...c, essay: { id: essay.id, title: essay.data.title } });
    }
  }
  return log.sort((a, b) => b.date.valueOf() - a.date.valueOf() || a.essay.id.localeCompare(b.essay.id) || a.id.localeCompare(b.id));
}

/** An essay's own entries, newest first, as its log at the end of the page shows them. */
export function essayCorrections(corrections: readonly Correction[]): Correction[] {
  return [...corrections].sort((a, b) => b.date.valueOf() - a.date.valueOf() || a.id.localeCompare(b.id));
}
