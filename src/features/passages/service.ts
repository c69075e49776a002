// Passages at run time: the essay's blocks as the build indexed them, the margin's counts, and
// keeping anchors found on the essay as built now. Re-anchoring is lazy: the first time an essay's
// discussion is read after a build changed its text, in one IMMEDIATE transaction that records the
// version it placed the anchors on, so of several server processes one does the work and the others
// find it done. With no index (no build) or an essay the index lacks, nothing is re-anchored: an
// index that says nothing must not detach every comment.
import type { Db } from '../../../db/client.ts';
import { passageCounts, reanchorEssay } from '../../../db/discussion/passages.ts';
import { perConnection } from '../../../db/prepared.ts';
import { relocateAnchors } from './anchoring.ts';
import type { EssayPassages } from './blocks.ts';
import { essayPassages, passageIndex } from './index-file.ts';

/** One essay's blocks and version, or undefined when there is no index or it lacks the essay. */
export type PassagesOf = (essay: string) => EssayPassages | undefined;

/** The blocks of the build this server runs (dist/server/passage-index.json). */
export const builtPassages: PassagesOf = (essay) => {
  const index = passageIndex();
  return index ? essayPassages(index, essay) : undefined;
};

// Per connection (so per process, and per test database): the version each essay was last seen
// re-anchored on, so a reading asks the database once per essay and build, not on every view.
const current = perConnection(() => new Map<string, string>());

/**
 * Places the essay's anchors on the essay as built now, if no process has yet. Answers how many
 * anchors this call placed again; null when there was nothing to do.
 */
export function keepAnchorsCurrent(db: Db, essay: string, passages: EssayPassages | undefined, now = Date.now()): number | null {
  if (!passages) return null;
  const seen = current(db);
  if (seen.get(essay) === passages.version) return null;
  const placed = reanchorEssay(db, { essay, version: passages.version, now }, (rows) => relocateAnchors(rows, passages));
  seen.set(essay, passages.version);
  return placed;
}

/** Published comments per passage of the essay: what the margin's markers show. */
export function countPassageComments(db: Db, essay: string): Map<string, number> {
  return passageCounts(db, essay);
}
