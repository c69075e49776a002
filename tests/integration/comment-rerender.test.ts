// Start-up re-renders comments stored by an older renderer. A stored source beyond today's limits
// (say, from before them) must neither stop the server from starting nor vanish: it is shown as
// its escaped text, and every other comment is rendered as usual.
import { eq } from 'drizzle-orm';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase } from '../../db/client.ts';
import { comments } from '../../db/schema.ts';
import { COMMENT_RENDERER_VERSION } from '../../src/features/discussion/markdown/markdown.ts';
import { prepareDatabase } from '../../src/server/database-setup.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { tempDir } from '../support/paths.ts';

describe('re-rendering stale comments at start-up', () => {
  it('renders ordinary ones and shows one beyond the limits as escaped text, without failing', async () => {
    const path = join(tempDir(), 'site.db');
    const db = createDatabase(path);
    const author = await makeUser(db);
    const flood = '>'.repeat(9_999) + '<b>x</b>';
    const ordinary = await makeComment(db, { essay: 'wechat-app-for-everything', authorId: author.id, body: 'Still *fine*.' });
    const hostile = await makeComment(db, { essay: 'wechat-app-for-everything', authorId: author.id, body: flood });
    closeDatabase(db);

    const started = performance.now();
    await prepareDatabase(path);
    expect(performance.now() - started).toBeLessThan(10_000);

    const after = createDatabase(path);
    try {
      const row = (id: number) => after.select().from(comments).where(eq(comments.id, id)).get()!;
      expect(row(ordinary)).toMatchObject({ bodyHtml: '<p>Still <em>fine</em>.</p>', rendererVersion: COMMENT_RENDERER_VERSION });
      expect(row(hostile)).toMatchObject({ bodyHtml: `<p>${'&gt;'.repeat(9_999)}&lt;b&gt;x&lt;/b&gt;</p>`, rendererVersion: COMMENT_RENDERER_VERSION, bodySource: flood });
    } finally {
      closeDatabase(after);
    }
  });
});
