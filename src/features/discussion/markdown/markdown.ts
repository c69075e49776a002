// Comment bodies: a small Markdown subset rendered once, on write, to safe HTML.
// Paragraphs, emphasis, inline and block code, quotes, lists, autolinked URLs and links.
// Headings, images, raw HTML and rules are switched off in the parser itself, so what a reader
// typed for them stays as literal text instead of vanishing; the sanitiser is the second wall.
// Before any tree is built, the source's micromark events are counted against the limits in
// comment-limits.ts, so no input reaches the stages that grow with nesting. The server calls
// this through the render worker (comment-render.ts), which adds a time and memory budget.
import { refuse } from '../../refusal.ts';
import type { Element, ElementContent, Root } from 'hast';
import { parse, postprocess, preprocess } from 'micromark';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import rehypeSanitize, { type Options as SanitizeSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified, type Processor } from 'unified';
import { escapeHtml } from '../../../lib/escape-html.ts';
import { LIMIT_MESSAGES, MAX_BLOCK_NESTING, MAX_INLINE_NESTING, MAX_TOKENS, precheckCommentSource } from './limits.ts';

/** Bump when the output for the same source would change: stored comments are then re-rendered. */
export const COMMENT_RENDERER_VERSION = 1;

export const LINK_REL = 'nofollow ugc noopener';
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

const DISABLED_CONSTRUCTS = ['headingAtx', 'setextUnderline', 'htmlFlow', 'htmlText', 'labelStartImage', 'thematicBreak'];

const SCHEMA: SanitizeSchema = {
  tagNames: ['p', 'br', 'em', 'strong', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a'],
  attributes: { a: ['href'], ol: ['start'] },
  protocols: { href: ['http', 'https', 'mailto'] },
  strip: ['script', 'style'],
  required: {},
  clobber: [],
};

/** One syntax for the check and the parser, so they count the same tokens. */
const SYNTAX = [gfmAutolinkLiteral(), { disable: { null: DISABLED_CONSTRUCTS } }];

function commentSyntax(this: Processor) {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(...SYNTAX);
  (data.fromMarkdownExtensions ??= []).push(gfmAutolinkLiteralFromMarkdown());
}

/** Links keep only absolute http(s)/mailto targets and get rel; any other link becomes its text. */
function safeLinks() {
  return (tree: Root) => {
    const visit = (parent: Root | Element) => {
      const next: ElementContent[] = [];
      for (const child of parent.children as ElementContent[]) {
        if (child.type === 'element') {
          visit(child);
          if (child.tagName === 'a') {
            if (!isAllowedHref(child.properties.href)) {
              next.push(...child.children);
              continue;
            }
            child.properties = { href: child.properties.href, rel: LINK_REL.split(' ') };
          }
        }
        next.push(child);
      }
      parent.children = next as typeof parent.children;
    };
    visit(tree);
  };
}

function isAllowedHref(href: unknown): boolean {
  if (typeof href !== 'string') return false;
  try {
    return LINK_PROTOCOLS.has(new URL(href).protocol);
  } catch {
    return false;
  }
}

const processor = unified()
  .use(remarkParse)
  .use(commentSyntax)
  .use(remarkRehype)
  .use(rehypeSanitize, SCHEMA)
  .use(safeLinks)
  .use(rehypeStringify)
  .freeze();

const BLOCK_CONTAINERS = new Set(['blockQuote', 'listOrdered', 'listUnordered']);
const INLINE_CONTAINERS = new Set(['emphasis', 'strong', 'link']);

export interface MarkupShape {
  /** Syntax tokens micromark found: an upper bound on the tree's nodes. */
  tokens: number;
  /** The deepest quotes and lists inside each other. */
  blockNesting: number;
  /** The deepest emphasis, strong emphasis and links inside each other. */
  inlineNesting: number;
}

/** The source's size and depth as micromark parses it, before any tree is built. */
export function measureCommentMarkdown(source: string): MarkupShape {
  const events = postprocess(parse({ extensions: SYNTAX }).document().write(preprocess()(source, undefined, true)));
  const shape: MarkupShape = { tokens: 0, blockNesting: 0, inlineNesting: 0 };
  let blocks = 0;
  let inlines = 0;
  for (const [kind, token] of events) {
    const step = kind === 'enter' ? 1 : -1;
    if (step === 1) shape.tokens++;
    if (BLOCK_CONTAINERS.has(token.type)) shape.blockNesting = Math.max(shape.blockNesting, (blocks += step));
    else if (INLINE_CONTAINERS.has(token.type)) shape.inlineNesting = Math.max(shape.inlineNesting, (inlines += step));
  }
  return shape;
}

/**
 * Whether the source stays within the limits, from micromark's events alone (no tree yet): a
 * reader-facing message, or null. Costs one parse, linear but for long emphasis runs.
 */
export function checkCommentMarkdown(source: string): string | null {
  const shape = measureCommentMarkdown(source);
  if (shape.blockNesting > MAX_BLOCK_NESTING) return LIMIT_MESSAGES.blockNesting;
  if (shape.inlineNesting > MAX_INLINE_NESTING) return LIMIT_MESSAGES.inlineNesting;
  if (shape.tokens > MAX_TOKENS) return LIMIT_MESSAGES.tokens;
  return null;
}

/** What the renderer answers (also across the worker boundary, where classes do not survive). */
export type CommentRendering = { ok: true; html: string } | { ok: false; message: string };

/** Source → sanitised HTML, or the reason it is refused (the cheap look, then the exact check). Never throws. */
export function tryRenderCommentMarkdown(source: string): CommentRendering {
  try {
    const refused = precheckCommentSource(source) ?? checkCommentMarkdown(source);
    if (refused) return { ok: false, message: refused };
    return { ok: true, html: String(processor.processSync(source)).trim() };
  } catch {
    // Within the limits nothing should throw (the fuzz test looks); if it does, the reader is told, not the logs.
    return { ok: false, message: LIMIT_MESSAGES.overBudget };
  }
}

/**
 * Source → sanitised HTML. Pure and synchronous; call it on write, never on read. Throws the
 * Refusal ('invalid') beyond the limits. The server renders through renderComment() instead.
 */
export function renderCommentMarkdown(source: string): string {
  const rendering = tryRenderCommentMarkdown(source);
  if (!rendering.ok) throw refuse('invalid', rendering.message);
  return rendering.html;
}

/** What a comment refused by today's limits shows if it was stored before them: its text, escaped. */
export function plainTextHtml(source: string): string {
  return `<p>${escapeHtml(source)}</p>`;
}
