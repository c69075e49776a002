// Reads a submitted form with a size cap, so an oversized or malformed body is a clear 4xx
// and never a 500 or a server busy buffering megabytes.
import { refuse, type Refusal } from '../features/refusal.ts';

/** One cap for every form of the site: a 10,000-character comment, each character percent-escaped as 4 bytes (12), fits. */
export const FORM_LIMIT = 160 * 1024;

export type FormResult = { ok: true; fields: FormFields } | Refusal;

export interface FormFields {
  /** The field's text, or '' when missing; a file where text belongs counts as missing. */
  text(name: string): string;
  /** Every text value of a repeated field (checkboxes), in order. */
  all(name: string): string[];
  /** Every text field by name (the last value of a repeated one): to give a refused form back. */
  values(): Record<string, string>;
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

export async function readForm(request: Request, maxBytes = FORM_LIMIT): Promise<FormResult> {
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  if (!FORM_TYPES.some((t) => type.startsWith(t))) {
    return refuse('unsupported', 'This form expects a standard form submission.');
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) return tooLarge();
  let bytes: Uint8Array;
  try {
    const read = await readCapped(request, maxBytes);
    if (!read) return tooLarge();
    bytes = read;
  } catch {
    return malformed();
  }
  // The header as sent: a multipart boundary is case-sensitive, so never the lower-cased copy.
  return formOf(bytes, request.headers.get('content-type')!);
}

const URLENCODED = /^application\/x-www-form-urlencoded\s*(?:;|$)/i;

/** Whether a Content-Type is a urlencoded form's, as browsers send most forms. */
export const isUrlencoded = (contentType: string): boolean => URLENCODED.test(contentType);

/** The fields of a form body read whole, of the type `contentType` names. */
export async function formOf(bytes: Uint8Array, contentType: string): Promise<FormResult> {
  let data: FormData | URLSearchParams;
  try {
    // urlencoded, as browsers send most forms: the WHATWG parser FormData uses, without building a Response.
    data = isUrlencoded(contentType)
      ? new URLSearchParams(new TextDecoder().decode(bytes))
      : await new Response(bytes as BodyInit, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return malformed();
  }
  return {
    ok: true,
    fields: {
      text(name) {
        const value = data.get(name);
        return typeof value === 'string' ? value : '';
      },
      all(name) {
        return data.getAll(name).filter((v): v is string => typeof v === 'string');
      },
      values() {
        return Object.fromEntries([...data].filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      },
    },
  };
}

/** The body's bytes, or null once it passes maxBytes (reading stops there). */
export async function readCapped(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function tooLarge(): Refusal {
  return refuse('too-large', 'That form submission is too large.');
}

function malformed(): Refusal {
  return refuse('invalid', 'That form submission could not be read: please try again.');
}
