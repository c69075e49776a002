// Comment bodies: a small Markdown subset rendered once, on write, to safe HTML.
// Paragraphs, emphasis, inline and block code, quotes, lists, autolinked URLs and links.
// Headings, images, raw HTML and rules are switched off in the parser itself, so what a reader
// typed for them stays as literal text instead of vanishing; the sanitiser is the second wall.
import type { Element, ElementContent, Root } from 'hast';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import rehypeSanitize, { type Options as SanitizeSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified, type Processor } from 'unified';

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

function commentSyntax(this: Processor) {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(gfmAutolinkLiteral(), { disable: { null: DISABLED_CONSTRUCTS } });
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

/** Source → sanitised HTML. Pure and synchronous; call it on write, never on read. */
export function renderCommentMarkdown(source: string): string {
  return String(processor.processSync(source)).trim();
}
