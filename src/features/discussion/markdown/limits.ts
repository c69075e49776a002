// How much structure a comment's Markdown may have, and a cheap first look at its source.
// Pure, no dependencies: the server reads it on every post before anything is parsed.
//
// Why limits at all: the Markdown stages are not linear in nesting. Measured on Node 24 with the
// server's 192 MB heap, mdast-util-from-markdown grows quadratically with depth (10,000 `>` run
// it out of memory; 2,000 nested `- ` take 1.5 s), and mdast-util-to-hast and hast-util-to-html
// recurse once per level (1,000 nested lists or 2,000 quotes overflow the stack). micromark's own
// parse stays near-linear in depth, but its emphasis matching is quadratic in the `*` and `_` it
// has to pair (5,000 `*` either side of a word: 1.4 s), so those are counted in the source first,
// and the exact check runs inside the render worker's budget.

/**
 * Quotes and lists inside each other. Real comments use two or three levels; e-mail style quoting
 * rarely goes past ten. 16 keeps every hast/HTML recursion a few dozen frames deep.
 */
export const MAX_BLOCK_NESTING = 16;

/** Emphasis, strong emphasis and links inside each other (`***a [b](c)***` is three). */
export const MAX_INLINE_NESTING = 16;

/**
 * Syntax tokens in the parsed source, an upper bound on the tree's nodes. 10,000 characters of
 * ordinary prose with links, quotes and lists make about 4,500; dense Markdown (a list of short
 * items with links and code) about one a character. Beyond this a comment is markup, not writing.
 */
export const MAX_TOKENS = 12_000;

/**
 * `*` and `_` outside fenced code. micromark matches emphasis in time quadratic in them (10,000
 * of them as `*_*_…` or as two runs around a word: 1.4–2 s; 1,000: under 50 ms), so they are
 * counted before it parses. A long comment with a word in italics every other line has a few
 * hundred; a separator line of stars, a few dozen.
 */
export const MAX_EMPHASIS_MARKS = 1_000;

export const LIMIT_MESSAGES = {
  blockNesting: `Quotes and lists can be nested at most ${MAX_BLOCK_NESTING} levels deep, and this comment goes deeper. Flatten them and try again: your text is kept below.`,
  inlineNesting: `Emphasis and links can be nested at most ${MAX_INLINE_NESTING} levels deep, and this comment goes deeper. Simplify them and try again: your text is kept below.`,
  emphasisMarks: `This comment has more * and _ than a comment can carry (over ${MAX_EMPHASIS_MARKS.toLocaleString('en')} outside code blocks). Use fewer and try again: your text is kept below.`,
  tokens: `This comment has more Markdown formatting than a comment can carry (over ${MAX_TOKENS.toLocaleString('en')} pieces). Use less of it and try again: your text is kept below.`,
  overBudget: 'This comment’s formatting is too complex to render. Simplify it and try again: your text is kept below.',
  busy: 'The discussion is rendering many comments at once. Wait a few seconds and try again: your text is kept below.',
} as const;

const TAB_STOP = 4;

export interface SourceScan {
  /**
   * The longest run of quote and list markers opening any one line (`> > - 1. x` is four), counted
   * as if each opened a container. It sees the floods that matter (a line of thousands of `>` or
   * `- `); it can count a marker CommonMark reads as text (a `2.` continuing a paragraph), so only
   * a line of 17 markers in a row reaches the limit. Nesting built from indentation across lines,
   * which it does not follow, is left to the exact check (checkCommentMarkdown).
   */
  lineNesting: number;
  /** `*` and `_` outside fenced code: each may be an emphasis delimiter. */
  emphasisMarks: number;
}

/**
 * One pass over the source, no allocation per character, before anything is parsed. Lines of a
 * fenced code block are skipped, so quoted code and code full of `*` and `_` never count.
 */
export function scanCommentSource(source: string): SourceScan {
  const scan: SourceScan = { lineNesting: 0, emphasisMarks: 0 };
  let fence = ''; // the open fence's marker run, '' outside a fenced block
  let at = 0;
  while (at <= source.length) {
    let end = source.indexOf('\n', at);
    if (end === -1) end = source.length;
    let i = at;
    let markers = 0;
    let gapEnd = spacesEnd(source, i, end);
    // More than three spaces before the first marker is indented code (or a continuation), not a new container.
    if (columns(source, i, gapEnd) <= 3) {
      i = gapEnd;
      for (;;) {
        const c = source.charCodeAt(i);
        let next = -1;
        if (c === 0x3e /* > */) next = i + 1;
        else if ((c === 0x2d || c === 0x2a || c === 0x2b) /* - * + */ && isSpaceOrEnd(source, i + 1, end)) next = i + 1;
        else if (c >= 0x30 && c <= 0x39) {
          let d = i;
          while (d < end && d - i < 9 && source.charCodeAt(d) >= 0x30 && source.charCodeAt(d) <= 0x39) d++;
          const delimiter = source.charCodeAt(d);
          if ((delimiter === 0x2e || delimiter === 0x29) /* . ) */ && isSpaceOrEnd(source, d + 1, end)) next = d + 1;
        }
        if (next === -1) break;
        markers++;
        i = next;
        // A marker may be followed by up to four spaces before the next one; five make indented code.
        gapEnd = spacesEnd(source, i, end);
        if (columns(source, i, gapEnd) > TAB_STOP) break;
        i = gapEnd;
      }
    }
    const fenceHere = fenceRun(source, i, end);
    if (fence === '') {
      if (markers > scan.lineNesting) scan.lineNesting = markers;
      if (fenceHere) fence = fenceHere;
      else scan.emphasisMarks += emphasisMarks(source, i, end);
    } else if (fenceHere && fenceHere[0] === fence[0] && fenceHere.length >= fence.length && onlySpaces(source, i + fenceHere.length, end)) {
      fence = '';
    }
    at = end + 1;
  }
  return scan;
}

export const deepestLineNesting = (source: string): number => scanCommentSource(source).lineNesting;

function emphasisMarks(source: string, i: number, end: number): number {
  let marks = 0;
  for (; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x2a || c === 0x5f /* * _ */) marks++;
  }
  return marks;
}

/** Where the spaces and tabs from `i` end. */
function spacesEnd(source: string, i: number, end: number): number {
  while (i < end && (source.charCodeAt(i) === 0x20 || source.charCodeAt(i) === 0x09)) i++;
  return i;
}

/** The columns of the spaces and tabs from `i` to `to`, a tab counted as a full stop (enough for a bound). */
function columns(source: string, i: number, to: number): number {
  let width = 0;
  for (; i < to; i++) width += source.charCodeAt(i) === 0x09 ? TAB_STOP : 1;
  return width;
}

function isSpaceOrEnd(source: string, i: number, end: number): boolean {
  if (i >= end) return true;
  const c = source.charCodeAt(i);
  return c === 0x20 || c === 0x09;
}

function onlySpaces(source: string, i: number, end: number): boolean {
  return source.slice(i, end).trim() === '';
}

/** The run of three or more backticks or tildes opening the line at `i`, or ''. */
function fenceRun(source: string, i: number, end: number): string {
  const c = source.charCodeAt(i);
  if (c !== 0x60 && c !== 0x7e) return '';
  let j = i;
  while (j < end && source.charCodeAt(j) === c) j++;
  return j - i >= 3 ? source.slice(i, j) : '';
}

/** The cheap refusal, before any parsing: a reader-facing message, or null to go on. */
export function precheckCommentSource(source: string): string | null {
  const scan = scanCommentSource(source);
  if (scan.lineNesting > MAX_BLOCK_NESTING) return LIMIT_MESSAGES.blockNesting;
  if (scan.emphasisMarks > MAX_EMPHASIS_MARKS) return LIMIT_MESSAGES.emphasisMarks;
  return null;
}
