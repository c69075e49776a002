// At start-up, a site with nobody to moderate it says how to make the first admin.
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { countAdmins } from '../../db/moderation/user-moderation.ts';

export const NO_ADMIN_NOTICE = 'No admin account yet: create one with `npm run admin -- create <username>`, then sign in and open /admin.';

export async function printNoAdminNotice(databasePath: string): Promise<void> {
  const db = openDatabase(databasePath);
  try {
    if ((await countAdmins(db)) === 0) console.log(NO_ADMIN_NOTICE);
  } finally {
    closeDatabase(db);
  }
}
