// Markup built from a tagged template in which every interpolated value is escaped unless it is
// already markup: the hot path of the discussion (hundreds of comments per response) renders this
// way, several times faster than a component per comment, without giving up escape-by-default.
import { escapeHtml } from './escape-html.ts';

/** A piece of markup: escaped already, or trusted (sanitised when it was written). */
export class Html {
  readonly markup: string;
  constructor(markup: string) {
    this.markup = markup;
  }
  toString(): string {
    return this.markup;
  }
}

/** What may be interpolated: text (escaped), markup (as is), nothing (null, undefined, false), or a list. */
export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.markup;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeHtml(value);
  let out = '';
  for (const item of value) out += render(item);
  return out;
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup that was sanitised when it was stored (a comment's body): passed through unescaped. */
export function trusted(markup: string): Html {
  return new Html(markup);
}
