// Checks on an essay's source that a careful editor would make: its length, and its footnotes
// (every note cited, every citation defined, one label meaning one source across the series).
// Pure functions over MDX text; the unit tests run them over every essay.
import { proseOf, wordCount } from './reading-time.ts';

const DEFINITION = /^\[\^([^\]\s]+)\]:(.*)$/; // the text is trimmed where it is read

/** Each footnote definition: label → its text (continuation lines, indented, joined with a space). */
export function footnoteDefinitions(mdx: string): Map<string, string> {
  const notes = new Map<string, string>();
  let current: string | undefined;
  for (const line of mdx.split('\n')) {
    const match = DEFINITION.exec(line);
    if (match) {
      current = match[1]!;
      if (notes.has(current)) throw new Error(`Footnote [^${current}] is defined twice`);
      notes.set(current, match[2]!.trim());
    } else if (current && /^(?: {2,}|\t)\S/.test(line)) {
      notes.set(current, `${notes.get(current)} ${line.trim()}`);
    } else if (line.trim() !== '') {
      current = undefined;
    }
  }
  return notes;
}

/** The labels the text cites, in order of first citation. */
export function footnoteReferences(mdx: string): string[] {
  const body = withoutDefinitions(mdx);
  return [...new Set([...body.matchAll(/\[\^([^\]\s]+)\](?!:)/g)].map((m) => m[1]!))];
}

function withoutDefinitions(mdx: string): string {
  const lines = mdx.split('\n');
  const kept: string[] = [];
  let inNote = false;
  for (const line of lines) {
    if (DEFINITION.test(line)) inNote = true;
    else if (inNote && !/^(?: {2,}|\t)\S/.test(line)) inNote = false;
    if (!inNote) kept.push(line);
  }
  return kept.join('\n');
}

/** The essay's own words: prose only, without the footnotes' text. */
export function essayWords(mdx: string): number {
  return wordCount(proseOf(withoutDefinitions(mdx)));
}

export interface NoteProblems {
  /** Defined but never cited. */
  unused: string[];
  /** Cited but never defined. */
  undefined: string[];
}

export function noteProblems(mdx: string): NoteProblems {
  const defined = footnoteDefinitions(mdx);
  const cited = new Set(footnoteReferences(mdx));
  return {
    unused: [...defined.keys()].filter((l) => !cited.has(l)),
    undefined: [...cited].filter((l) => !defined.has(l)),
  };
}

/** A note's text as compared across essays: whitespace and curly quotes do not make a new source. */
export function normaliseNote(text: string): string {
  return text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();
}

export interface LabelConflict {
  label: string;
  /** The different texts the label stands for, each with the essays that give it. */
  versions: { text: string; essays: string[] }[];
}

/**
 * Labels that mean different sources in different essays. A label shared by several essays must
 * carry the same citation, word for word, so that a reader meeting [^amnesty] anywhere in the
 * series is reading the same source.
 */
export function labelConflicts(essays: readonly { id: string; body: string }[]): LabelConflict[] {
  const byLabel = new Map<string, Map<string, string[]>>();
  for (const essay of essays) {
    for (const [label, text] of footnoteDefinitions(essay.body)) {
      const versions = byLabel.get(label) ?? new Map<string, string[]>();
      const key = normaliseNote(text);
      versions.set(key, [...(versions.get(key) ?? []), essay.id]);
      byLabel.set(label, versions);
    }
  }
  return [...byLabel]
    .filter(([, versions]) => versions.size > 1)
    .map(([label, versions]) => ({ label, versions: [...versions].map(([text, ids]) => ({ text, essays: ids })) }));
}

/** The same citation filed under two labels: one source should have one label across the series. */
export function duplicateSources(essays: readonly { id: string; body: string }[]): { text: string; labels: string[] }[] {
  const byText = new Map<string, Set<string>>();
  for (const essay of essays) {
    for (const [label, text] of footnoteDefinitions(essay.body)) {
      const key = normaliseNote(text);
      byText.set(key, (byText.get(key) ?? new Set()).add(label));
    }
  }
  return [...byText].filter(([, labels]) => labels.size > 1).map(([text, labels]) => ({ text, labels: [...labels] }));
}
