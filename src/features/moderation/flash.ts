// Post/redirect/get: after a form was done, its notice ("Approve: done for comment #12.") travels
// to the next page in a short-lived cookie. A refused form never redirects: the page shows it
// again with its message (http.ts), so this carries no refusals and nothing the reader typed.
import type { AstroCookies } from 'astro';

export const FLASH_COOKIE = 'flash';
export const FLASH_SECONDS = 120;
const NOTICE_LIMIT = 1000;

export function setNotice(cookies: AstroCookies, notice: string): void {
  cookies.set(FLASH_COOKIE, notice.slice(0, NOTICE_LIMIT), { path: '/', httpOnly: true, sameSite: 'lax', maxAge: FLASH_SECONDS });
}

/** Reads and clears the notice; a missing cookie is simply no message. */
export function takeNotice(cookies: AstroCookies): string | null {
  const notice = cookies.get(FLASH_COOKIE)?.value;
  if (notice === undefined) return null;
  cookies.delete(FLASH_COOKIE, { path: '/' });
  return notice.slice(0, NOTICE_LIMIT) || null;
}
