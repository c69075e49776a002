// Property tests: for any input fast-check can think of, the comment renderer emits only what
// the allow-list permits, the thread builder places every comment exactly once, and threads
// shared between readers come out for each exactly as a rendering for them alone would.
import fc from 'fast-check';
import type { Element, Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { describe, expect, it } from 'vitest';
import { LINK_REL, renderCommentMarkdown } from '../../src/features/discussion/markdown/markdown.ts';
import { buildThreads, MAX_DISPLAY_DEPTH, SORTS, walkThreads, type ThreadNode, type ThreadRow } from '../../src/features/discussion/thread.ts';
import { COMMENT_STATUSES } from '../../src/features/discussion/types.ts';
import { XSS_VECTORS } from '../support/xss-corpus.ts';
import { compileThreads, encodeThreads, fillThreadBytes, fillThreads } from '../../src/features/discussion/comment-html.ts';
import { ANY_READER } from '../../src/features/discussion/page-markup.ts';
import { readerAs, SIGNED_OUT } from '../support/discussion-readers.ts';

// The allow-list as the discussion issue states it, written out independently of the renderer.
const ALLOWED: Record<string, string[]> = {
  p: [],
  br: [],
  em: [],
  strong: [],
  code: [],
  pre: [],
  blockquote: [],
  ul: [],
  ol: ['start'],
  li: [],
  a: ['href', 'rel'],
};
const LINK_PROTOCOLS = ['http:', 'https:', 'mailto:'];

/** Every way the HTML breaks the allow-list (empty: it passes). */
function violations(html: string): string[] {
  const found: string[] = [];
  const visit = (node: Root | RootContent) => {
    if (node.type === 'comment' || node.type === 'doctype') found.push(`a ${node.type} node`);
    if (node.type === 'element') check(node);
    if ('children' in node) node.children.forEach(visit);
  };
  const check = (el: Element) => {
    const allowed = ALLOWED[el.tagName];
    if (!allowed) return void found.push(`<${el.tagName}>`);
    for (const [name, value] of Object.entries(el.properties)) {
      if (!allowed.includes(name)) found.push(`${name} on <${el.tagName}>`);
      if (el.tagName === 'a' && name === 'href') {
        let protocol = '';
        try {
          protocol = new URL(String(value)).protocol;
        } catch {
          protocol = 'relative';
        }
        if (!LINK_PROTOCOLS.includes(protocol)) found.push(`href ${String(value)}`);
      }
    }
    if (el.tagName === 'a' && [el.properties.rel].flat().join(' ') !== LINK_REL) found.push(`a link without rel="${LINK_REL}"`);
  };
  visit(fromHtml(html, { fragment: true }));
  return found;
}

// Text made of the pieces that matter to Markdown and HTML, mixed with anything at all.
const TOKENS = [
  '*', '**', '_', '`', '```', '~~~', '[', ']', '(', ')', '<', '>', '</', '/>', '"', "'", '=', '\\', '!', '![', '](', '#', '> ',
  '- ', '1. ', '\n', '\n\n', '    ', '&', '&amp;', '&lt;', '&#x3C;', '&#60;', '&colon;', 'javascript:', 'JaVaScRiPt:', 'java\tscript:',
  'data:text/html,', 'vbscript:', 'mailto:a@b.c', 'http://example.org/', 'https://x.y/a_(b)', 'www.example.org', '<script>',
  '<img src=x onerror=alert(1)>', '<svg onload=alert(1)>', '<math>', '<a href="javascript:alert(1)">', 'onclick=', 'style=',
  '\u202e', '\u200b', '\u0000', '<!--', '-->', '<![CDATA[', '<?xml', '{', '}', '|', '---', '===',
];
const markdownish = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }), { maxLength: 40 })
  .map((parts) => parts.join(''));

describe('the comment renderer', () => {
  it('emits only allow-listed tags, attributes and link protocols, whatever the source', () => {
    fc.assert(
      fc.property(fc.oneof(markdownish, fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 })), (source) => {
        expect(violations(renderCommentMarkdown(source))).toEqual([]);
      }),
      { numRuns: 1_000 },
    );
  });

  it('passes the allow-list on every vector of the XSS corpus', () => {
    for (const vector of XSS_VECTORS) expect(violations(renderCommentMarkdown(vector.payload)), vector.name).toEqual([]);
  });

  it('catches what it should (the checker itself can fail)', () => {
    expect(violations('<p onclick="x">a</p>')).toEqual(['onClick on <p>']);
    expect(violations('<a href="javascript:alert(1)" rel="nofollow ugc noopener">x</a>')).toEqual(['href javascript:alert(1)']);
    expect(violations('<img src="x">')).toEqual(['<img>']);
  });
});

// Any forest a page could hold: parents come before their replies (ids grow), a parent may be
// off the page, rows arrive in any order and any status, with any like counts and times.
const rowsArbitrary = fc.integer({ min: 0, max: 60 }).chain((n) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.oneof(fc.constant(null), fc.nat(), fc.constant(-1)), fc.constantFrom(...COMMENT_STATUSES), fc.nat(20), fc.nat(1_000)), {
        minLength: n,
        maxLength: n,
      }),
      fc.infiniteStream(fc.nat()),
    )
    .map(([specs, shuffle]) => {
      const rows: ThreadRow[] = specs.map(([parent, status, likeCount, time], i) => {
        const id = i + 1;
        // null: top level; -1: a parent not on this page; else one of the earlier comments.
        const parentId = parent === null || i === 0 ? null : parent === -1 ? 10_000 + i : (parent % i) + 1;
        return {
          id,
          essay: 'e',
          parentId,
          rootId: null,
          depth: 0,
          authorId: `u${id % 5}`,
          authorUsername: `u${id % 5}`,
          authorName: null,
          bodyHtml: '<p>x</p>',
          status,
          moderationReason: null,
          likeCount,
          createdAt: time,
          editedAt: null,
          liked: false,
        };
      });
      const it = shuffle[Symbol.iterator]();
      for (let i = rows.length - 1; i > 0; i--) {
        const j = it.next().value! % (i + 1);
        [rows[i], rows[j]] = [rows[j]!, rows[i]!];
      }
      return rows;
    }),
);

describe('the thread builder', () => {
  it('places every published comment exactly once, and nothing twice, for any parent structure', () => {
    fc.assert(
      fc.property(rowsArbitrary, fc.constantFrom(...SORTS), fc.constantFrom(null, 'u1', 'u2'), (rows, sort, readerId) => {
        const reader = readerId === null ? SIGNED_OUT : readerAs({ id: readerId });
        const placed = [...walkThreads(buildThreads(rows, { sort, reader }))].map((n) => n.comment.id);
        expect(new Set(placed).size).toBe(placed.length);
        const published = rows.filter((r) => r.status === 'published').map((r) => r.id);
        expect(placed).toEqual(expect.arrayContaining(published));
        for (const id of placed) expect(rows.some((r) => r.id === id)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('places all of them when all are published, nested at most to the display cap', () => {
    fc.assert(
      fc.property(rowsArbitrary, fc.constantFrom(...SORTS), (rows, sort) => {
        rows.forEach((r) => (r.status = 'published'));
        const forest = buildThreads(rows, { sort, reader: SIGNED_OUT });
        const nodes = [...walkThreads(forest)];
        expect(nodes.map((n) => n.comment.id).sort((a, b) => a - b)).toEqual(rows.map((r) => r.id).sort((a, b) => a - b));
        const checkDepth = (list: ThreadNode[], depth: number) => {
          for (const node of list) {
            expect(node.displayDepth).toBe(Math.min(depth, MAX_DISPLAY_DEPTH));
            checkDepth(node.replies, depth + 1);
          }
        };
        checkDepth(forest, 0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('threads shared between readers', () => {
  const reader = readerAs({ id: 'u1', username: 'u1', displayName: 'One' });

  it('fill in, for any reader who may share them, exactly what a rendering for that reader alone shows (the "new" marks too), as text and as bytes', () => {
    fc.assert(
      fc.property(
        rowsArbitrary,
        fc.constantFrom(...SORTS),
        fc.boolean(),
        // Inside and outside the author's edit window.
        fc.constantFrom(5_000, 3_600_000),
        fc.infiniteStream(fc.nat()),
        (rows, sort, closed, now, picks) => {
          // Readers with a comment held for review do not share threads (page-markup.ts).
          for (const r of rows) if (r.authorId === reader.account!.id && r.status === 'pending') r.status = 'published';
          // Characters of two, three and four bytes in UTF-8, so byte positions differ from string positions.
          for (const r of rows) if (r.id % 3 === 0) Object.assign(r, { bodyHtml: `<p>é ${r.id} — 😀</p>`, authorName: 'Zoë' });
          const pick = picks[Symbol.iterator]();
          const liked = new Set(rows.filter(() => pick.next().value! % 3 === 0).map((r) => r.id));
          const flagged = new Set(rows.filter(() => pick.next().value! % 4 === 0).map((r) => r.id));
          const context = { essay: 'e', closed, now, pinnedId: null };
          // "New since your last visit" from the time of one of the comments, or none.
          const at = pick.next().value!;
          const newSince = rows.length === 0 || at % 4 === 0 ? null : rows[at % rows.length]!.createdAt;

          const theirs = rows.map((r) => ({ ...r, liked: liked.has(r.id) }));
          const alone = fillThreads(compileThreads(buildThreads(theirs, { sort, reader }), { ...context, reader, flagged, newSince }));
          const compiled = compileThreads(buildThreads(rows, { sort, reader: SIGNED_OUT }), { ...context, reader: ANY_READER, flagged: new Set() });
          expect(fillThreads(compiled, { reader, liked, flagged, now, newSince })).toBe(alone);
          // The same threads encoded once and filled in as bytes (what the island serves) say the same.
          const encoded = encodeThreads(compiled);
          expect(Buffer.concat(fillThreadBytes(encoded, { reader, liked, flagged, now, newSince })).toString('utf8')).toBe(alone);
          expect(Buffer.concat(fillThreadBytes(encoded)).toString('utf8')).toBe(fillThreads(compiled));
        },
      ),
      { numRuns: 300 },
    );
  });
});
