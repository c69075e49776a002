// Fuzzing the comment renderer with what hurts Markdown parsers: deep nesting of every kind,
// long runs of every metacharacter, huge tables, many links, control characters, with hostile
// HTML mixed in. Each input must render to allow-listed HTML or be refused with a reader-facing
// message; nothing may throw, crash the worker pool, or leak markup.
import fc from 'fast-check';
import type { Element, Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { afterAll, describe, expect, it } from 'vitest';
import { LINK_REL, tryRenderCommentMarkdown } from '../../src/features/discussion/markdown/markdown.ts';
import { LIMIT_MESSAGES, MAX_BLOCK_NESTING, MAX_INLINE_NESTING } from '../../src/features/discussion/markdown/limits.ts';
import { closeCommentRenderer, renderComment } from '../../src/features/discussion/markdown/render.ts';
import { ladder, links, MARKDOWN_UNITS, NESTING_PAIRS, table } from '../support/markdown-families.ts';
import { XSS_VECTORS } from '../support/xss-corpus.ts';

afterAll(closeCommentRenderer);

// The allow-list as the discussion issue states it, written out independently of the renderer.
const ALLOWED: Record<string, string[]> = { p: [], br: [], em: [], strong: [], code: [], pre: [], blockquote: [], ul: [], ol: ['start'], li: [], a: ['href', 'rel'] };

/**
 * The deepest HTML the limits allow: a list is two elements a level (ul, li), a quote one, then a
 * paragraph, the inline nesting and a code span. Deeper output means the limits were not applied.
 */
const MAX_HTML_DEPTH = 2 * MAX_BLOCK_NESTING + 1 + MAX_INLINE_NESTING + 1;

/** Every way the HTML breaks the allow-list or the depth the limits allow (empty: it passes). */
function violations(html: string): string[] {
  const found: string[] = [];
  let deepest = 0;
  const visit = (node: Root | RootContent, depth: number) => {
    if (node.type === 'comment' || node.type === 'doctype') found.push(`a ${node.type} node`);
    if (node.type === 'element') check(node);
    deepest = Math.max(deepest, depth);
    if ('children' in node) for (const child of node.children) visit(child, node.type === 'element' ? depth + 1 : depth);
  };
  const check = (el: Element) => {
    const allowed = ALLOWED[el.tagName];
    if (!allowed) return void found.push(`<${el.tagName}>`);
    for (const [name, value] of Object.entries(el.properties)) {
      if (!allowed.includes(name)) found.push(`${name} on <${el.tagName}>`);
      if (name === 'href' && !/^(?:https?|mailto):/i.test(String(value))) found.push(`href ${String(value)}`);
    }
    if (el.tagName === 'a' && [el.properties.rel].flat().join(' ') !== LINK_REL) found.push('a link without its rel');
  };
  visit(fromHtml(html, { fragment: true }), 0);
  if (deepest > MAX_HTML_DEPTH) found.push(`elements nested ${deepest} deep`);
  return found;
}

const REFUSALS: string[] = [LIMIT_MESSAGES.blockNesting, LIMIT_MESSAGES.inlineNesting, LIMIT_MESSAGES.emphasisMarks, LIMIT_MESSAGES.continuationLines, LIMIT_MESSAGES.tokens];

/** One fragment: a unit repeated, or lines of growing indentation, or a huge table, or many links. */
const fragment = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...MARKDOWN_UNITS), fc.integer({ min: 1, max: 2_500 })).map(([unit, times]) => unit.repeat(times)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('- ', '* ', '1. ', '> '), fc.integer({ min: 1, max: 60 })).map(([marker, depth]) => ladder(marker, depth)) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 200 })).map(([columns, rows]) => table(columns, rows)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 800 }).map(links) },
  { weight: 1, arbitrary: fc.constantFrom(...XSS_VECTORS.map((v) => v.payload)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

/** Nesting alone, as deep as the length allows: where the tree-building stages break. */
const deepNesting = fc.oneof(
  fc.tuple(fc.constantFrom(...MARKDOWN_UNITS.slice(0, 16)), fc.integer({ min: 17, max: 2_000 })).map(([unit, times]) => unit.repeat(times) + 'x'),
  fc.tuple(fc.constantFrom(...NESTING_PAIRS), fc.integer({ min: 17, max: 1_000 }))
    .map(([[open, close], times]) => open.repeat(times) + 'x' + close.repeat(times)),
  fc.tuple(fc.constantFrom('- ', '* ', '1. ', '> '), fc.integer({ min: 17, max: 60 })).map(([marker, depth]) => ladder(marker, depth)),
);

/** A hostile comment: a few fragments, cut to `max` characters (the server's limit is 10,000). */
const hostile = (max: number) => fc.array(fragment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('').slice(0, max));

function expectSafe(outcome: { ok: true; html: string } | { ok: false; message: string }, source: string) {
  if (outcome.ok) expect(violations(outcome.html), JSON.stringify(source.slice(0, 80))).toEqual([]);
  else expect(REFUSALS, JSON.stringify(source.slice(0, 80))).toContain(outcome.message);
}

describe('the renderer under hostile input', () => {
  it('renders allow-listed HTML or refuses with a limit, and never throws (what the worker runs)', () => {
    fc.assert(
      fc.property(hostile(2_000), (source) => {
        // A refusal for going over budget here would mean the pipeline threw inside the limits.
        expectSafe(tryRenderCommentMarkdown(source), source);
      }),
      { numRuns: 60 },
    );
  }, 30_000);

  it('refuses nesting of every kind beyond the limits, or renders it no deeper than they allow', () => {
    fc.assert(
      fc.property(deepNesting, (source) => {
        expectSafe(tryRenderCommentMarkdown(source), source);
      }),
      { numRuns: 40 },
    );
  }, 30_000);

  it('through the pool, at the full 10,000 characters: a render or a 400, never a failure, and the pool goes on', async () => {
    await fc.assert(
      fc.asyncProperty(hostile(10_000), async (source) => {
        const outcome = await renderComment(source);
        if (!outcome.ok) expect(outcome.code, outcome.message).toBe('invalid');
        // Over budget is allowed here: the worker's time and memory are the last wall, not a bug.
        if (outcome.ok || outcome.message !== LIMIT_MESSAGES.overBudget) expectSafe(outcome, source);
      }),
      { numRuns: 25 },
    );
    expect(await renderComment('after the storm')).toMatchObject({ ok: true, html: '<p>after the storm</p>' });
  }, 60_000);

  it('keeps the markup of each XSS vector out, however deep it is buried', () => {
    for (const { payload, name } of XSS_VECTORS) {
      for (const wrap of ['> '.repeat(16), '- '.repeat(16), '*a '.repeat(16), '[x](https://e.org) '.repeat(50)]) {
        expectSafe(tryRenderCommentMarkdown(wrap + payload), name);
      }
    }
  });

  it('catches what it should (the checker itself can fail)', () => {
    expect(violations('<p onclick="x">a</p>')).toEqual(['onClick on <p>']);
    expect(violations('<a href="javascript:alert(1)" rel="nofollow ugc noopener">x</a>')).toEqual(['href javascript:alert(1)']);
    expect(violations('<img src="x">')).toEqual(['<img>']);
  });
});
