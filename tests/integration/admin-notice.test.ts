// At start-up, a site without an admin says how to make one; once there is one, it says nothing.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeDatabase, createDatabase } from '../../db/client.ts';
import { NO_ADMIN_NOTICE, printNoAdminNotice } from '../../src/server/admin-notice.ts';
import { makeUser } from '../support/fixtures.ts';
import { tempDir } from '../support/paths.ts';

afterEach(() => vi.restoreAllMocks());

describe('the no-admin notice', () => {
  it('prints the command to create an admin only while there is none', async () => {
    const path = join(tempDir(), 'site.db');
    const db = createDatabase(path);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await makeUser(db, { role: 'reader' });
    await printNoAdminNotice(path);
    expect(log.mock.calls).toEqual([[NO_ADMIN_NOTICE]]);
    expect(NO_ADMIN_NOTICE).toContain('npm run admin -- create <username>');
    await makeUser(db, { role: 'admin' });
    await printNoAdminNotice(path);
    expect(log).toHaveBeenCalledTimes(1);
    closeDatabase(db);
  });
});
