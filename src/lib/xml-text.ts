// Characters XML 1.0 forbids (C0 controls but tab, newline and return; U+FFFE, U+FFFF) and lone
// surrogates: one of them in a feed makes the whole document ill-formed for every reader.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_FORBIDDEN = /[\u0000-\u0008\v\f\u000E-\u001F\uFFFE\uFFFF]/g;

/** The text with lone surrogates made U+FFFD and XML-forbidden characters removed. */
export function xmlSafeText(text: string): string {
  return text.toWellFormed().replace(XML_FORBIDDEN, '');
}

/** Whether the text holds anything XML forbids (for refusing a field rather than altering it). */
export function hasXmlForbidden(text: string): boolean {
  return !text.isWellFormed() || text.search(XML_FORBIDDEN) !== -1;
}
