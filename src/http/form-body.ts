// Reads a submitted form with a size cap, so an oversized or malformed body is a clear 4xx
// and never a 500 or a server busy buffering megabytes.
export type FormResult =
  | { ok: true; fields: FormFields }
  | { ok: false; status: 400 | 413 | 415; message: string };

export interface FormFields {
  /** The field's text, or '' when missing; a file where text belongs counts as missing. */
  text(name: string): string;
  /** Every text value of a repeated field (checkboxes), in order. */
  all(name: string): string[];
  /** Every text field by name (the last value of a repeated one): to give a refused form back. */
  values(): Record<string, string>;
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

export async function readForm(request: Request, maxBytes = 16 * 1024): Promise<FormResult> {
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  if (!FORM_TYPES.some((t) => type.startsWith(t))) {
    return { ok: false, status: 415, message: 'This form expects a standard form submission.' };
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
  let data: FormData;
  try {
    // The header as sent: a multipart boundary is case-sensitive, so never the lower-cased copy.
    data = await new Response(bytes as BodyInit, { headers: { 'content-type': request.headers.get('content-type')! } }).formData();
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

function tooLarge(): FormResult {
  return { ok: false, status: 413, message: 'That form submission is too large.' };
}

function malformed(): FormResult {
  return { ok: false, status: 400, message: 'That form submission could not be read: please try again.' };
}
