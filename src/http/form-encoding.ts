// Form bodies must be text: a field that is not valid UTF-8, sent raw or percent-escaped, would
// otherwise be decoded with U+FFFD in place of what the reader typed and stored as if it were fine.
const strict = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The bytes a urlencoded component stands for (%XX escapes and + for space), before decoding. */
function percentBytes(component: string): Uint8Array {
  const out: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < component.length; i++) {
    const c = component[i]!;
    if (c === '%') {
      const hex = component.slice(i + 1, i + 3);
      // A % that starts no escape stands for itself, as URLSearchParams reads it.
      if (/^[\da-f]{2}$/i.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
      } else {
        out.push(0x25);
      }
    } else {
      out.push(...encoder.encode(c === '+' ? ' ' : c));
    }
  }
  return Uint8Array.from(out);
}

/** Why a form body cannot be read as the text it claims to be, or null when it can. */
export function formEncodingProblem(bytes: Uint8Array, contentType: string): string | null {
  if (!isUtf8(bytes)) return 'The form was not sent as UTF-8 text.';
  if (contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const text = strict.decode(bytes);
    for (const component of text.split(/[&=]/)) {
      if (!component.includes('%')) continue;
      if (!isUtf8(percentBytes(component))) return 'The form holds characters that are not valid UTF-8.';
    }
  }
  return null;
}
