// Which content coding a response is sent in (RFC 9110 §12.5.3), and which responses are worth
// compressing at all. Pure: no I/O, so the negotiation is tested on its own.

/** The codings the site sends, best first: Brotli is smaller than gzip at the same cost. */
export const CODINGS = ['br', 'gzip'] as const;
export type Coding = (typeof CODINGS)[number];
export type Chosen = Coding | 'identity';

const PREFERENCE: Chosen[] = [...CODINGS, 'identity'];
// A qvalue is 0 to 1 with up to three decimals; anything else makes the entry unreadable.
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** Each listed coding's weight, lower-cased (`x-gzip` is gzip); unreadable entries are left out. */
export function parseAcceptEncoding(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const entry of header.split(',')) {
    const [name = '', ...params] = entry.split(';');
    let coding = name.trim().toLowerCase();
    if (coding === '') continue;
    if (coding === 'x-gzip') coding = 'gzip';
    let q = 1;
    for (const param of params) {
      const [key = '', value = ''] = param.split('=');
      if (key.trim().toLowerCase() !== 'q') continue;
      q = QVALUE.test(value.trim()) ? Number(value.trim()) : NaN;
    }
    if (Number.isNaN(q)) continue;
    // Listed twice: the stricter weight holds, so a q=0 is never overruled.
    weights.set(coding, Math.min(q, weights.get(coding) ?? 1));
  }
  return weights;
}

/**
 * The coding to send, among those `available` (the response's own variants) and identity: the
 * client's highest weight wins, ties go to br, then gzip, then identity. No Accept-Encoding means
 * identity: clients that decompress say so. When the client refuses everything, identity too
 * (RFC 9110 allows it, and an unreadable answer helps no one).
 */
export function chooseEncoding(header: string | null | undefined, available: readonly Coding[] = CODINGS): Chosen {
  if (header === null || header === undefined) return 'identity';
  const weights = parseAcceptEncoding(header);
  const star = weights.get('*');
  const weightOf = (coding: Chosen): number => {
    const listed = weights.get(coding);
    if (listed !== undefined) return listed;
    // Unlisted: what `*` says, else nothing. Identity left unlisted is still acceptable, but as
    // the last resort below: a client that lists br;q=0.5 wants br rather than nothing.
    return star ?? 0;
  };
  let best: Chosen = 'identity';
  let bestWeight = 0;
  for (const coding of PREFERENCE) {
    if (coding !== 'identity' && !available.includes(coding)) continue;
    const weight = weightOf(coding);
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}

/**
 * Text formats, where compression pays: HTML, CSS, JavaScript, SVG, JSON, XML and the feeds.
 * Never text/event-stream: a live stream must reach the reader event by event, not in blocks.
 */
export function isCompressibleType(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (type === 'text/event-stream') return false;
  if (type.startsWith('text/')) return true;
  if (type.endsWith('+json') || type.endsWith('+xml')) return true;
  return ['application/javascript', 'application/json', 'application/xml', 'application/manifest+json'].includes(type);
}

/** A header's comma-separated list with `value` added unless already there (case-insensitive). */
export function addToList(current: string | null | undefined, value: string): string {
  if (!current || current.trim() === '') return value;
  const present = current.split(',').some((item) => item.trim().toLowerCase() === value.toLowerCase() || item.trim() === '*');
  return present ? current : `${current}, ${value}`;
}
