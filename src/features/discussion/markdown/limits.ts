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

/**
 * The render cost of paragraphs that go on inside a quote or list: the sum, over each run of lines
 * continuing one such paragraph (lazy continuation lines, which keep the containers open, and
 * indented ones), of the run's length squared. micromark's time grows with the square of a run,
 * whatever the depth (one deep or fifteen: the same): measured on a busy two-core machine, a run
 * of 1,000 lines takes 50–100 ms, 2,000 200–350 ms, 4,900 (`- a` then `a` lines, within 10,000
 * characters) 1.5–2 s, which one render worker cannot afford; eight runs of 600 lines, 380 ms
 * (plain text of the same size: 110 ms). About 100 ms a million, so this keeps the worst near
 * 50 ms above plain text. A run ends at a blank line, a new list item or quote, or a code fence.
 * Real comments stay far below: a 200-line paragraph in a three-deep list costs 40,000.
 */
export const MAX_CONTINUATION_COST = 500_000;

export const LIMIT_MESSAGES = {
  blockNesting: `Quotes and lists can be nested at most ${MAX_BLOCK_NESTING} levels deep, and this comment goes deeper. Flatten them and try again: your text is kept below.`,
  inlineNesting: `Emphasis and links can be nested at most ${MAX_INLINE_NESTING} levels deep, and this comment goes deeper. Simplify them and try again: your text is kept below.`,
  emphasisMarks: `This comment has more * and _ than a comment can carry (over ${MAX_EMPHASIS_MARKS.toLocaleString('en')} outside code blocks). Use fewer and try again: your text is kept below.`,
  continuationLines: 'The paragraphs inside quotes or lists here run over too many lines (one of 700 lines, or many of a few hundred) for a comment to carry. Break them up with blank lines and try again: your text is kept below.',
  tokens: `This comment has more Markdown formatting than a comment can carry (over ${MAX_TOKENS.toLocaleString('en')} pieces). Use less of it and try again: your text is kept below.`,
  overBudget: 'This comment’s formatting is too complex to render. Simplify it and try again: your text is kept below.',
  oneAtATime: 'Your previous comment is still being rendered. Wait a second and try again: your text is kept below.',
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
  /** Runs of lines continuing one paragraph inside a quote or list, each counted as its length squared (MAX_CONTINUATION_COST). */
  continuationCost: number;
}

/**
 * Follows, line by line, whether a paragraph inside a quote or list goes on, and how long. Errs
 * towards counting: a line counts unless it surely starts a new container (CommonMark lets a quote
 * or a non-empty bullet interrupt a paragraph, an ordered item only if it is numbered 1 or is the
 * next item of an ordered list already open at its column), or is blank.
 */
class ContinuationRuns {
  /** The sum of each run's length squared, kept as the runs grow ((n+1)² = n² + 2n + 1). */
  cost = 0;
  private run = 0;
  private inContainer = false;
  private afterBlank = true;
  /** Ordered lists seen open: the column of their marker and its delimiter (`.` or `)`). */
  private ordered = new Map<number, number>();

  line(source: string, start: number, end: number): void {
    const contentStart = spacesEnd(source, start, end);
    if (contentStart === end) {
      this.run = 0;
      this.afterBlank = true;
      return;
    }
    const indent = columns(source, start, contentStart);
    const opens = this.opensContainer(source, contentStart, end, indent);
    if (opens) {
      this.inContainer = true;
      this.run = 0;
    } else {
      // After a blank line, text at the margin closes every quote and list.
      if (this.afterBlank && indent === 0) {
        this.inContainer = false;
        this.ordered.clear();
      }
      if (this.inContainer) this.cost += 2 * this.run++ + 1;
    }
    this.afterBlank = false;
  }

  /** A fenced code block's lines are no paragraph: they end the run. A fence at the margin closes every container. */
  fenced(opensAtMargin: boolean): void {
    this.run = 0;
    this.afterBlank = false;
    if (opensAtMargin) {
      this.inContainer = false;
      this.ordered.clear();
    }
  }

  private opensContainer(source: string, i: number, end: number, indent: number): boolean {
    let column = indent;
    let first = true;
    let opens = false;
    for (;;) {
      const c = source.charCodeAt(i);
      let next = -1;
      let number = -1;
      let delimiter = 0;
      if (c === 0x3e /* > */) next = i + 1;
      else if ((c === 0x2d || c === 0x2a || c === 0x2b) /* - * + */ && isSpaceOrEnd(source, i + 1, end)) next = i + 1;
      else if (c >= 0x30 && c <= 0x39) {
        let d = i;
        while (d < end && d - i < 9 && source.charCodeAt(d) >= 0x30 && source.charCodeAt(d) <= 0x39) d++;
        delimiter = source.charCodeAt(d);
        if ((delimiter === 0x2e || delimiter === 0x29) && isSpaceOrEnd(source, d + 1, end)) {
          next = d + 1;
          number = Number(source.slice(i, d));
        }
      }
      if (next === -1) return opens && i < end; // an empty item does not interrupt a paragraph
      if (first) {
        // The first marker decides whether this line can end the paragraph above.
        opens = c === 0x3e || number === -1 || number === 1 || this.ordered.get(column) === delimiter;
        for (const open of this.ordered.keys()) if (open > column) this.ordered.delete(open);
        first = false;
      }
      // Only an item that starts here opens a list the next numbers can continue.
      if (number !== -1 && opens) this.ordered.set(column, delimiter);
      if (c === 0x3e) return opens; // a quote opens whatever follows it
      const gapEnd = spacesEnd(source, next, end);
      column += next - i + columns(source, next, gapEnd);
      i = gapEnd;
    }
  }
}

/**
 * One pass over the source, no allocation per character, before anything is parsed. Lines of a
 * fenced code block are skipped, so quoted code and code full of `*` and `_` never count.
 */
export function scanCommentSource(source: string): SourceScan {
  const scan: SourceScan = { lineNesting: 0, emphasisMarks: 0, continuationCost: 0 };
  const runs = new ContinuationRuns();
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
    if (fence === '' && !fenceHere) runs.line(source, at, end);
    else runs.fenced(fence === '' && i === at);
    if (fence === '') {
      if (markers > scan.lineNesting) scan.lineNesting = markers;
      if (fenceHere) fence = fenceHere;
      else scan.emphasisMarks += emphasisMarks(source, i, end);
    } else if (fenceHere && fenceHere[0] === fence[0] && fenceHere.length >= fence.length && onlySpaces(source, i + fenceHere.length, end)) {
      fence = '';
    }
    at = end + 1;
  }
  scan.continuationCost = runs.cost;
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
  // A backtick in a backtick fence's info string makes the line text, not a fence (CommonMark).
  if (c === 0x60 && source.slice(j, end).includes('`')) return '';
  return j - i >= 3 ? source.slice(i, j) : '';
}

/** The cheap refusal, before any parsing: a reader-facing message, or null to go on. */
export function precheckCommentSource(source: string): string | null {
  const scan = scanCommentSource(source);
  if (scan.lineNesting > MAX_BLOCK_NESTING) return LIMIT_MESSAGES.blockNesting;
  if (scan.emphasisMarks > MAX_EMPHASIS_MARKS) return LIMIT_MESSAGES.emphasisMarks;
  if (scan.continuationCost > MAX_CONTINUATION_COST) return LIMIT_MESSAGES.continuationLines;
  return null;
}
