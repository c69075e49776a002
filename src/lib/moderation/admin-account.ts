// What the admin command accepts as a username and password. Same shape as readers' accounts;
// an admin's password is held to a longer minimum because it guards every reader's comments.
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

export const ADMIN_PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export function checkAdminUsername(raw: string): Checked<string> {
  const username = raw.trim();
  if (username.length < 3 || username.length > 32) return { ok: false, message: 'A username is 3 to 32 characters long.' };
  if (!/^[A-Za-z0-9_-]+$/.test(username)) return { ok: false, message: 'A username may use only letters a–z, digits, "_" and "-".' };
  return { ok: true, value: username };
}

export function checkAdminPassword(password: string, username: string): Checked<string> {
  const length = [...password].length;
  if (length < ADMIN_PASSWORD_MIN) return { ok: false, message: `An admin password needs at least ${ADMIN_PASSWORD_MIN} characters.` };
  if (length > PASSWORD_MAX) return { ok: false, message: `A password may be at most ${PASSWORD_MAX} characters long.` };
  if (password.toLowerCase() === username.toLowerCase()) return { ok: false, message: 'The password must not be the username.' };
  return { ok: true, value: password };
}
