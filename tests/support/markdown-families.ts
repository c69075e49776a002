// Families of pathological Markdown, shared by the renderer's fuzz test and the render-cost
// benchmark: units that nest or pile up when repeated (containers, emphasis, brackets, links, code
// spans, every metacharacter, control characters), plus ladders, tables and link lists.

export const MARKDOWN_UNITS = [
  // Containers: quotes and lists, alone and mixed (the first 16 are these).
  '>', '> ', '>\t', '- ', '* ', '+ ', '1. ', '1) ', '9999. ', '> - ', '- > ', '> 1. ', '>- ', ' > ', '-\t', '1.\t',
  // Emphasis runs and half-open pairs.
  '*', '_', '**', '__', '***', '*_', '_*', '*a ', '_a ', '**a ', ' a*', ' a_', 'a**', '*a', '_a',
  // Brackets, links, autolinks, code spans.
  '[', ']', '[]', '[](', '](', '[x](', '[x](y', '[a', '](a)', '![', '![](', '<', '<a', '<http:', '`', '``', '`a', '~', '~~~',
  // Other metacharacters and things that look like syntax.
  '\\', '\\*', '&', '&#', '&#x', '&amp;', '|', '| a ', '|-', '| --- ', '#', '=', '---', 'www.', 'http://a.b/', 'a@b.c ',
  '(', ')', '"', "'", '!', '{', '}',
  // Line structure, whitespace and characters XML forbids.
  '\n', '\n\n', '\n>', '\n- ', '\n  ', '    ', '\t', '\0', '\x01', '\x1b', '\x7f', '\u2028', '\ufeff',
];

/** Emphasis and link openers with their closers: repeated around a word they nest. */
export const NESTING_PAIRS: [string, string][] = [
  ['*', '*'], ['_', '_'], ['**', '**'], ['*a ', ' a*'], ['_a ', ' a_'], ['**a ', ' a**'], ['*a _b ', ' b_ a*'], ['[*', '*](https://e.org)'],
];

/** Lines of a list or quote, each indented one level further than the last. */
export const ladder = (marker: string, depth: number): string =>
  Array.from({ length: depth }, (_, d) => `${' '.repeat(d * (marker.length + 1))}${marker}x`).join('\n');

export const table = (columns: number, rows: number): string =>
  ['| h '.repeat(columns) + '|', '| - '.repeat(columns) + '|', ...Array.from({ length: rows }, () => '| c '.repeat(columns) + '|')].join('\n');

export const links = (n: number): string => Array.from({ length: n }, (_, i) => `[l${i}](https://e.org/${i}) `).join('');

/** Every family filled to `size` characters (or as close as its shape allows), by name. */
export function markdownFamilies(size: number): { name: string; source: string }[] {
  const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const families = MARKDOWN_UNITS.map((unit) => ({ name: `run of ${JSON.stringify(unit)}`, source: fill(unit) }));
  for (const [open, close] of NESTING_PAIRS) {
    const times = Math.floor((size - 1) / (open.length + close.length));
    families.push({ name: `nested ${JSON.stringify(open)}…${JSON.stringify(close)}`, source: open.repeat(times) + 'x' + close.repeat(times) });
  }
  for (const marker of ['- ', '1. ', '> ']) {
    let depth = 1;
    while (ladder(marker, depth + 1).length <= size) depth++;
    families.push({ name: `ladder of ${JSON.stringify(marker)}`, source: ladder(marker, depth) });
  }
  families.push({ name: 'table, 3 columns', source: table(3, Math.floor(size / 13)).slice(0, size) });
  families.push({ name: 'table, wide', source: table(Math.floor(size / 8), 1).slice(0, size) });
  families.push({ name: 'links', source: links(Math.floor(size / 24)).slice(0, size) });
  return families;
}
