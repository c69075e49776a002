// Small request helpers shared by the discussion routes.
import type { Refusal, Viewer } from './service.ts';
import { readForm } from '../../http/form-body.ts';
import { REFUSAL_STATUS } from '../../http/refusal-status.ts';

/** A comment runs to 10,000 characters; URL-encoded, four-byte characters take 12 bytes each. */
export const MAX_FORM_BYTES = 160 * 1024;

/** Requests from the discussion script ask for an HTML fragment instead of a whole page. */
export function wantsFragment(request: Request): boolean {
  return request.headers.get('X-Discussion-Fragment') === '1';
}

/** The posted form's fields ('' when missing), or why it cannot be read (415, 413, 400): never a 500. */
export async function readDiscussionForm(request: Request): Promise<{ ok: true; text(name: string): string } | Refusal> {
  const form = await readForm(request, MAX_FORM_BYTES);
  return form.ok ? { ok: true, text: (name) => form.fields.text(name) } : { ok: false, status: REFUSAL_STATUS[form.code], message: form.message };
}

/** A positive whole id from a path or form value, else null. */
export function parseId(value: string | null | undefined): number | null {
  if (!value || !/^[1-9]\d{0,15}$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

export function viewerFrom(locals: App.Locals): Viewer | null {
  const user = locals.reader.account;
  return user ? { id: user.id, username: user.username, displayName: user.displayName, bannedAt: user.bannedAt, role: user.role } : null;
}
