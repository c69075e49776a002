// Where a display name is shown on its own in a box that speaks with authority, the @username
// goes with it (finding 12 of the security review): the comment the moderators pinned.
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../db/client.ts';
import { pinComment, pinnedComment } from '../../db/discussion/discussions.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { makeAdmin } from '../support/moderation.ts';

describe('the pinned comment’s author', () => {
  it('is the display name with the @username, or the username alone', async () => {
    const db = createDatabase();
    const admin = await makeAdmin(db);
    const named = await makeUser(db, { username: 'mallory', displayName: 'The Editors' });
    const plain = await makeUser(db, { username: 'ada' });
    const first = await makeComment(db, { essay: 'one', authorId: named.id, body: 'pinned' });
    const second = await makeComment(db, { essay: 'two', authorId: plain.id, body: 'pinned too' });
    await pinComment(db, admin, first);
    await pinComment(db, admin, second);
    expect(await pinnedComment(db, 'one')).toMatchObject({ authorName: 'The Editors (@mallory)' });
    expect(await pinnedComment(db, 'two')).toMatchObject({ authorName: 'ada' });
  });
});
