// Every essay's corrections by their permanent id, for on-demand pages that name a correction (the
// corrections log, a comment's admin page, "Replies to you"). Read once per process, as the
// collection is fixed at build time.
import { getCollection } from 'astro:content';
import { correctionLog, type LoggedCorrection } from './essay-corrections.ts';

let index: Promise<Map<string, LoggedCorrection>> | undefined;

export function correctionsById(): Promise<Map<string, LoggedCorrection>> {
  index ??= getCollection('essays').then((essays) => new Map(correctionLog(essays).map((c) => [c.id, c])));
  return index;
}
