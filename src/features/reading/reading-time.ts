// Reading time from an essay's MDX source: prose words only, at a steady adult reading pace.

export const WORDS_PER_MINUTE = 230;

/** The prose of an MDX body: no front matter, imports, JSX tags, comments, code or link targets. */
export function proseOf(mdx: string): string {
  return mdx
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .replace(/^[\t ]*(?:import|export)\s.*$/gm, '')
    .replace(/\{\/\*[\s\S]*?\*\/\}/g, '')
    .replace(/```[\s\S]*?```/g, '')
    .replace(/<\/?[a-z][^>]*>/gi, ' ')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/\[\^[^\]]+\]:?/g, '');
}

export function wordCount(text: string): number {
  return (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []).length;
}

/** Whole minutes, at least one. Footnote text counts: readers of a cited essay read notes too. */
export function readingMinutes(mdx: string): number {
  return Math.max(1, Math.round(wordCount(proseOf(mdx)) / WORDS_PER_MINUTE));
}

export function readingTimeLabel(minutes: number): string {
  return `${minutes} min read`;
}
