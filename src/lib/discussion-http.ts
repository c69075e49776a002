// Small request helpers shared by the discussion routes.
import type { Viewer } from './discussion-commands.ts';

/** Requests from the discussion script ask for an HTML fragment instead of a whole page. */
export function wantsFragment(request: Request): boolean {
  return request.headers.get('X-Discussion-Fragment') === '1';
}

/** The posted form, or an empty one for a body that is not a form: bad input is never a 500. */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    return new FormData();
  }
}

export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** A positive whole id from a path or form value, else null. */
export function parseId(value: string | null | undefined): number | null {
  if (!value || !/^[1-9]\d{0,15}$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

export function viewerFrom(locals: App.Locals): Viewer | null {
  const user = locals.user;
  return user ? { id: user.id, username: user.username, displayName: user.displayName, bannedAt: user.bannedAt } : null;
}
