// What the admin command accepts: a reader's username rules, and a reader's password rules with a
// longer minimum, because an admin's password guards every reader's comments.
import { checkPassword, type Checked } from '../accounts/rules.ts';
import { refuse } from '../refusal.ts';

export { checkUsername as checkAdminUsername } from '../accounts/rules.ts';

export const ADMIN_PASSWORD_MIN = 12;

export function checkAdminPassword(password: string, username: string): Checked<string> {
  if ([...password].length < ADMIN_PASSWORD_MIN) return refuse('invalid', `An admin password needs at least ${ADMIN_PASSWORD_MIN} characters.`, { field: 'password' });
  return checkPassword(password, username);
}
