// Who may moderate: a signed-in, unbanned admin. Every admin page and form handler asks this first.
import type { Actor } from '../../../db/moderation/moderation-log.ts';

type LocalsUser = App.Locals['reader']['account'];

export type AdminAccess =
  | { ok: true; actor: Actor & { id: string } }
  | { ok: false; reason: 'signed-out' | 'not-admin' | 'banned' };

export function adminAccess(user: LocalsUser): AdminAccess {
  if (!user) return { ok: false, reason: 'signed-out' };
  if (user.bannedAt) return { ok: false, reason: 'banned' };
  if (user.role !== 'admin') return { ok: false, reason: 'not-admin' };
  return { ok: true, actor: { id: user.id, name: user.username } };
}

/** Whether this signed-in user moderates: an admin who is not banned (the island's inline controls). */
export function isModerator(user: { role?: string; bannedAt: number | null } | null): boolean {
  return user?.role === 'admin' && user.bannedAt === null;
}
