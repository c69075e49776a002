// A reader's public profile (/u/<username>): display name, join month and published comments, a
// page at a time. Held, hidden and deleted comments never show here (the queries ask for published).
import type { Db } from '../../../db/client.ts';
import { findPublicProfile, listProfileComments, type ProfileComment, type PublicProfile } from '../../../db/accounts/profiles.ts';

export const PROFILE_PAGE_SIZE = 30;
const USERNAME = /^[\w-]{1,64}$/;

export interface ProfilePage {
  profile: PublicProfile;
  comments: ProfileComment[];
  pages: number;
}

export async function loadProfile(db: Db, username: string, page: number): Promise<ProfilePage | null> {
  const profile = USERNAME.test(username) ? await findPublicProfile(db, username) : undefined;
  if (!profile) return null;
  return {
    profile,
    comments: await listProfileComments(db, profile.id, PROFILE_PAGE_SIZE, (page - 1) * PROFILE_PAGE_SIZE),
    pages: Math.max(1, Math.ceil(profile.publishedCount / PROFILE_PAGE_SIZE)),
  };
}
