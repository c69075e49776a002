// The margin's counts and markers' names, shared by the server (which encodes the counts and names
// the markers at build time) and the part of the essay page's script every reader loads. Pure, no
// imports, so that part stays small.

/**
 * A margin marker's name for screen readers: what following it does, or how many comments it leads
 * to. Takes the block's noun, not its id, so the page's script can read the noun from the name the
 * build gave the marker ("Discuss this paragraph") and needs no table of kinds.
 */
export function markerLabel(noun: string, count: number): string {
  return count <= 0 ? `Discuss this ${noun}` : `${commentCount(count)} on this ${noun}`;
}

/** "1 comment", "1,234 comments": a count of comments as the site writes it (the discussion's count too). */
export const commentCount = (n: number) => (n === 1 ? '1 comment' : `${n.toLocaleString('en')} comments`);

/**
 * The counts as the island carries them: `<block>:<count>` joined by commas, in id order. About 14
 * bytes a passage, so an essay with comments on 100 passages adds some 1.4 KB.
 */
export function encodePassageCounts(counts: ReadonlyMap<string, number>): string {
  return [...counts]
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, n]) => `${id}:${n}`)
    .join(',');
}

/** The counts back from their encoding; a part that is no id and positive count is left out (the ids are only looked up). */
export function decodePassageCounts(encoded: string | null | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const part of (encoded ?? '').split(',')) {
    const [id = '', n] = part.split(':');
    if (id && Number(n) > 0) counts.set(id, Number(n));
  }
  return counts;
}
