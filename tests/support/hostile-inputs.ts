// The worst comment bodies we know of, by family: what the security review used and what the
// renderer's fuzz test reaches for (deep nesting of every kind, long runs of each Markdown
// metacharacter, huge tables, many links, characters XML forbids). Shared by the load test's
// hostile client and the HTTP regression tests; each body is within the 10,000-character limit.
const MAX = 10_000;
const fill = (unit: string, tail = 'x') => unit.repeat(Math.floor((MAX - tail.length) / unit.length)) + tail;

export const HOSTILE_BODIES: Record<string, string> = {
  'nested quotes (review finding 1)': fill('>'),
  'nested quotes with spaces': fill('> '),
  'nested bullet lists': fill('- '),
  'nested star lists': fill('* '),
  'nested ordered lists': fill('1. '),
  'quotes inside lists': fill('- > '),
  'lists inside quotes': fill('> 1) '),
  'indented list ladder': Array.from({ length: 400 }, (_, i) => `${' '.repeat(Math.min(i * 2, 20))}- item`).join('\n').slice(0, MAX),
  'link-counting backtracking (review finding 2)': fill('[](a'),
  'open brackets': fill('['),
  'open link targets': fill('[a]('),
  'emphasis runs': fill('*_'),
  'strong runs': fill('**a'),
  'backtick runs': fill('`a``'),
  'angle brackets': fill('<a'),
  'autolink candidates': fill('www.a'),
  'bare URLs': fill('http://a.b/ '),
  'many links': fill('[x](https://a.example/) '),
  'huge table': ['| a | b | c |', '|---|---|---|', ...Array.from({ length: 900 }, () => '| 1 | 2 | 3 |')].join('\n').slice(0, MAX),
  'wide table': ['|' + ' a |'.repeat(2400), '|' + '---|'.repeat(2400)].join('\n').slice(0, MAX),
  'entities': fill('&#x1F600;'),
  'backslash escapes': fill('\\*'),
  'control characters': fill('\u0000\u0001\u0008\u000B\uFFFF'),
  'lone surrogates': fill('\uD800'),
};
