// Post/redirect/get: the result of a form travels to the next page in a short-lived cookie,
// with what was typed when the form was refused, so it comes back filled in.
import type { AstroCookies } from 'astro';

export interface Flash {
  kind: 'notice' | 'error';
  text: string;
  /** The HTTP status the page after the redirect answers with (4xx for a refused form). */
  status?: number;
  /** Which form the message belongs to, and what its fields held. */
  form?: string;
  fields?: Record<string, string>;
}

export const FLASH_COOKIE = 'flash';
export const FLASH_SECONDS = 120;
// A cookie must stay under 4 KB; fields longer than this come back cut.
const FIELD_LIMIT = 600;

export function setFlash(cookies: AstroCookies, flash: Flash): void {
  const fields = flash.fields && Object.fromEntries(Object.entries(flash.fields).map(([k, v]) => [k, v.slice(0, FIELD_LIMIT)]));
  const value = Buffer.from(JSON.stringify({ ...flash, fields }), 'utf8').toString('base64url');
  cookies.set(FLASH_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: FLASH_SECONDS });
}

/** Reads and clears the flash; a missing or tampered cookie is simply no message. */
export function takeFlash(cookies: AstroCookies): Flash | null {
  const raw = cookies.get(FLASH_COOKIE)?.value;
  if (!raw) return null;
  cookies.delete(FLASH_COOKIE, { path: '/' });
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Flash>;
    if ((parsed.kind !== 'notice' && parsed.kind !== 'error') || typeof parsed.text !== 'string') return null;
    const status = Number.isInteger(parsed.status) && parsed.status! >= 400 && parsed.status! < 500 ? parsed.status : undefined;
    const fields = parsed.fields && typeof parsed.fields === 'object' ? Object.fromEntries(Object.entries(parsed.fields).filter(([, v]) => typeof v === 'string')) : undefined;
    return { kind: parsed.kind, text: parsed.text.slice(0, 1000), status, form: typeof parsed.form === 'string' ? parsed.form : undefined, fields };
  } catch {
    return null;
  }
}
