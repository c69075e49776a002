// The discussion's route handlers (src/features/discussion/routes/), as the pages call them, on a
// real migrated SQLite: what each answers (a redirect, or a view with its refusal, status and
// headers), what a refused form is refilled with, and which stored text each reader is shown.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase, type Db } from '../../db/client.ts';
import { comments, likes } from '../../db/schema.ts';
import type { Reader } from '../../src/features/accounts/reader.ts';
import type { Answer, DiscussionRequest } from '../../src/features/discussion/routes/answer.ts';
import { discussionPage } from '../../src/features/discussion/routes/discussion-page.ts';
import { deleteCommentPage, postCommentDelete } from '../../src/features/discussion/routes/delete-comment.ts';
import { editCommentPage, postCommentEdit } from '../../src/features/discussion/routes/edit-comment.ts';
import { postLike } from '../../src/features/discussion/routes/like-comment.ts';
import { newCommentPage, postNewComment } from '../../src/features/discussion/routes/new-comment.ts';
import { findPermalink } from '../../src/features/discussion/routes/permalink.ts';
import { setDiscussionOpen } from '../../src/features/moderation/service.ts';
import { editCommentForm, likeForm, newCommentForm } from '../../src/features/discussion/schemas.ts';
import type { EssayInfo } from '../../src/features/discussion/types.ts';
import { parseForm } from '../../src/http/form.ts';
import { readerAs, SIGNED_OUT } from '../support/discussion-readers.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';

const ESSAY: EssayInfo = { slug: 'open-essay', title: 'Open', discussion: 'open' };
const T0 = 1_800_000_000_000;
let db: Db;
let ada: Reader;
let bob: Reader;
let admin: Reader;

const request = (reader: Reader, options: { fragment?: boolean; now?: number } = {}): DiscussionRequest => ({
  db,
  reader,
  fragment: options.fragment ?? false,
  now: options.now ?? T0,
  essayOf: async (slug) => (slug === ESSAY.slug ? ESSAY : null),
  here: '/here?x=1',
});
const form = (fields: Record<string, string>) =>
  new Request('http://site.test/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
/** The view of an answer that is not a redirect. */
function shown<V>(answer: Answer<V>) {
  if ('redirect' in answer) throw new Error(`redirected to ${answer.redirect}`);
  return answer;
}
const idOf = (who: Reader) => who.account!.id;
const write = (who: Reader, body: string, options: { status?: 'pending' | 'hidden'; createdAt?: number; parentId?: number } = {}) =>
  makeComment(db, { essay: ESSAY.slug, authorId: idOf(who), body, createdAt: options.createdAt ?? T0 - 60_000, parentId: options.parentId }).then((id) => {
    if (options.status) db.update(comments).set({ status: options.status }).where(eq(comments.id, id)).run();
    return id;
  });

beforeEach(async () => {
  db = createDatabase();
  ada = readerAs(await makeUser(db));
  bob = readerAs(await makeUser(db));
  admin = readerAs(await makeUser(db, { role: 'admin' }), { role: 'admin' });
});
afterEach(() => closeDatabase(db));

describe('a new comment or reply', () => {
  it('sends a signed-out reader to sign in, and says so for an unknown essay', async () => {
    expect(await newCommentPage(request(SIGNED_OUT), new URLSearchParams({ essay: ESSAY.slug }))).toEqual({ redirect: '/signin?next=%2Fhere%3Fx%3D1' });
    const unknown = shown(await newCommentPage(request(ada), new URLSearchParams({ essay: 'nope' })));
    expect(unknown.refusal).toMatchObject({ code: 'not-found', message: expect.stringContaining('no essay') });
  });

  it('quotes the comment answered where the reader may read it: a held one to its author, not to moderators', async () => {
    const held = await write(ada, 'Held words');
    const hidden = await write(ada, 'Hidden words', { status: 'hidden' });
    db.update(comments).set({ status: 'pending' }).where(eq(comments.id, held)).run();
    const quote = async (who: Reader, parent: number) => {
      const answer = shown(await newCommentPage(request(who), new URLSearchParams({ essay: ESSAY.slug, parent: String(parent) })));
      return answer.view.kind === 'form' ? (answer.view.quote?.bodyHtml ?? null) : 'not a form';
    };
    expect(await quote(ada, held)).toBe('<p>Held words</p>');
    expect(await quote(admin, held)).toBeNull();
    expect(await quote(bob, held)).toBeNull();
    expect(await quote(ada, hidden)).toBeNull();
  });

  it('gives a refused comment back with the text typed and the reason, never a stored one', async () => {
    const answer = shown(await postNewComment(request(ada), await parseForm(form({ essay: ESSAY.slug, parent: 'abc', body: 'kept words' }), newCommentForm)));
    expect(answer.refusal).toMatchObject({ code: 'invalid', message: 'That reply points at no comment.' });
    expect(answer.view).toMatchObject({ kind: 'form', form: { mode: 'new', value: 'kept words', message: 'That reply points at no comment.' } });
    const signedOut = shown(await postNewComment(request(SIGNED_OUT), await parseForm(form({ essay: ESSAY.slug, body: 'mine' }), newCommentForm)));
    expect(signedOut.refusal?.code).toBe('signed-out');
    expect(signedOut.view).toMatchObject({ kind: 'form', form: { value: 'mine' }, signIn: '/signin?next=%2Fdiscussion%2Fopen-essay%2F' });
  });

  it('redirects to the new comment, or answers the script with it, where it goes and the count', async () => {
    expect(await postNewComment(request(ada), await parseForm(form({ essay: ESSAY.slug, body: 'first' }), newCommentForm))).toEqual({
      redirect: expect.stringMatching(/^\/discussion\/open-essay\/#comment-\d+$/),
    });
    const parent = db.select().from(comments).get()!.id;
    const reply = () => parseForm(form({ essay: ESSAY.slug, parent: String(parent), body: 'a reply' }), newCommentForm);
    const created = shown(await postNewComment(request(bob, { fragment: true }), await reply()));
    expect(created).toMatchObject({ status: 201, headers: { 'X-List-Owner': String(parent), 'X-Comment-Count': '2' } });
    expect(created.view).toMatchObject({ kind: 'created', essay: ESSAY.slug, closed: false, node: { displayDepth: 1 } });
    expect(shown(await postNewComment(request(bob, { fragment: true }), await reply())).status).toBe(200);
  });
});

describe('editing', () => {
  it('fills the form with the stored text only for its author, within the window', async () => {
    const id = await write(ada, 'Stored words', { createdAt: T0 - 60_000 });
    const page = async (who: Reader, now = T0) => shown(await editCommentPage(request(who, { now }), id));
    expect((await page(ada)).view.form).toMatchObject({ mode: 'edit', value: 'Stored words', message: null });
    const late = await page(ada, T0 + 15 * 60_000);
    expect([late.refusal?.code, late.view.form?.value]).toEqual(['forbidden', '']);
    for (const who of [bob, admin]) expect(await page(who)).toMatchObject({ refusal: { code: 'forbidden' }, view: { form: null } });
    expect(await editCommentPage(request(SIGNED_OUT), id)).toEqual({ redirect: '/signin?next=%2Fhere%3Fx%3D1' });
    const hidden = await write(ada, 'Hidden words', { status: 'hidden' });
    expect(shown(await editCommentPage(request(ada), hidden))).toMatchObject({ refusal: { code: 'not-found' }, view: { form: null } });
  });

  it('refills a refused edit with what was sent, not with the stored text', async () => {
    const id = await write(ada, 'Stored words');
    const refused = shown(await postCommentEdit(request(ada), id, await parseForm(form({ body: '   ' }), editCommentForm)));
    expect(refused.refusal?.code).toBe('invalid');
    expect(refused.view.form?.value).toBe('   ');
    const saved = shown(await postCommentEdit(request(ada, { fragment: true }), id, await parseForm(form({ body: 'New words' }), editCommentForm)));
    expect(saved.view.saved?.node.comment.bodyHtml).toBe('<p>New words</p>');
  });

  it('refuses the author\'s edit inside the window while a moderator has the discussion closed, keeping what was typed; reopened, it saves', async () => {
    const id = await write(ada, 'Stored words', { createdAt: T0 - 60_000 });
    const essays = new Map([[ESSAY.slug, ESSAY.title]]);
    expect(setDiscussionOpen(db, admin, { essay: ESSAY.slug, closed: true }, essays).ok).toBe(true);
    const closedMessage = 'This discussion is closed: it takes no new comments, edits or likes.';
    const page = shown(await editCommentPage(request(ada), id));
    expect(page.refusal).toMatchObject({ code: 'closed', message: closedMessage });
    expect(page.view.form).toMatchObject({ mode: 'edit', message: closedMessage });
    const refused = shown(await postCommentEdit(request(ada), id, await parseForm(form({ body: 'Words typed while closed' }), editCommentForm)));
    expect(refused.refusal).toMatchObject({ code: 'closed', message: closedMessage });
    expect(refused.view).toMatchObject({ form: { mode: 'edit', value: 'Words typed while closed', message: closedMessage }, message: closedMessage });
    expect(db.select().from(comments).where(eq(comments.id, id)).get()).toMatchObject({ bodySource: 'Stored words', editedAt: null });

    expect(setDiscussionOpen(db, admin, { essay: ESSAY.slug, closed: false }, essays).ok).toBe(true);
    expect(shown(await editCommentPage(request(ada), id)).view.form).toMatchObject({ value: 'Stored words', message: null });
    expect(await postCommentEdit(request(ada), id, await parseForm(form({ body: 'Words typed once reopened' }), editCommentForm))).toEqual({
      redirect: expect.stringMatching(new RegExp(`#comment-${id}$`)),
    });
    expect(db.select().from(comments).where(eq(comments.id, id)).get()).toMatchObject({ bodySource: 'Words typed once reopened', editedAt: T0 });
  });
});

describe('deleting', () => {
  it('quotes the comment to confirm only where its author may still read it', async () => {
    const published = await write(ada, 'Published words');
    const hidden = await write(ada, 'Hidden words', { status: 'hidden' });
    expect(shown(await deleteCommentPage(request(ada), published)).view.quote?.bodyHtml).toBe('<p>Published words</p>');
    const page = shown(await deleteCommentPage(request(ada), hidden));
    expect([page.refusal, page.view.quote]).toEqual([null, null]);
    expect(shown(await deleteCommentPage(request(bob), published))).toMatchObject({ refusal: { code: 'forbidden' }, view: { quote: null } });
  });

  it('answers the script with the thread as it is now, its root and the count', async () => {
    const root = await write(ada, 'root');
    const reply = await write(bob, 'reply', { parentId: root });
    const answer = shown(await postCommentDelete(request(bob, { fragment: true }), reply));
    expect(answer.headers).toEqual({ 'X-Thread-Root': String(root), 'X-Comment-Count': '1', 'X-Passage-Counts': '' });
    expect(answer.view.thread?.node?.comment.id).toBe(root);
  });
});

describe('likes and permalinks', () => {
  it('answers a like with the button for the script, and a refusal with the way on', async () => {
    const id = await write(ada, 'likeable');
    const liked = shown(await postLike(request(bob, { fragment: true }), id, await parseForm(form({ liked: '1' }), likeForm)));
    expect(liked.view).toEqual({ kind: 'button', commentId: id, liked: true, likeCount: 1 });
    const own = shown(await postLike(request(ada), id, await parseForm(form({ liked: '1' }), likeForm)));
    expect(own).toMatchObject({ refusal: { code: 'forbidden' }, view: { kind: 'refused', back: { href: `/comments/${id}` } } });
    const signedOut = shown(await postLike(request(SIGNED_OUT), id, await parseForm(form({ liked: '1' }), likeForm)));
    expect(signedOut.view).toMatchObject({ back: { href: `/signin?next=%2Fcomments%2F${id}`, label: 'Sign in to join the discussion' } });
  });

  it('takes exactly what the like button sends, 1 or 0, and refuses anything else unwritten', async () => {
    const id = await write(ada, 'likeable');
    for (const fields of [{}, { liked: '' }, { liked: 'false' }, { liked: '2' }, { liked: 'true' }, { x: '1' }] as Record<string, string>[]) {
      const refused = shown(await postLike(request(bob, { fragment: true }), id, await parseForm(form(fields), likeForm)));
      expect(refused).toMatchObject({ refusal: { code: 'invalid', message: 'That is neither a like nor an unlike.' }, view: { kind: 'refused' } });
    }
    expect(db.select().from(likes).all()).toEqual([]);
    expect(shown(await postLike(request(bob, { fragment: true }), id, await parseForm(form({ liked: '0' }), likeForm))).view).toMatchObject({ liked: false, likeCount: 0 });
  });

  it('sends a moderator to the page that holds a comment as they see the discussion, held threads counted', async () => {
    for (let i = 0; i < 50; i++) await write(bob, `held ${i}`, { status: 'pending', createdAt: T0 - 100_000 + i });
    const last = await write(ada, 'after the held ones', { createdAt: T0 });
    expect(await findPermalink(request(bob), last)).toMatchObject({ found: true, page: 2, href: `/discussion/open-essay/?page=2#comment-${last}` });
    expect(await findPermalink(request(admin), last)).toMatchObject({ found: true, page: 2 });
    expect(await findPermalink(request(ada), last)).toMatchObject({ found: true, page: 1 });
    expect(await findPermalink(request(ada), null)).toEqual({ found: false });
  });
});

describe('a comment the reader may not read', () => {
  it('answers exactly as a missing one on the permalink, edit, delete, like and reply routes, but to its author and moderators', async () => {
    const held = await write(ada, 'Held words', { status: 'pending' });
    const missing = held + 1000;
    // What each route answers, with nothing that tells the two apart (status code, message, essay, form).
    const answers = async (who: Reader, id: number) => {
      const view = <V>(answer: Answer<V>) => ('redirect' in answer ? answer : { code: answer.refusal?.code, message: answer.refusal?.message, view: answer.view });
      return {
        permalink: await findPermalink(request(who), id),
        edit: view(await editCommentPage(request(who), id)),
        saveEdit: view(await postCommentEdit(request(who), id, await parseForm(form({ body: 'Mine now' }), editCommentForm))),
        deletePage: view(await deleteCommentPage(request(who), id)),
        delete: view(await postCommentDelete(request(who), id)),
        like: view(await postLike(request(who), id, await parseForm(form({ liked: '1' }), likeForm))),
        reply: view(await postNewComment(request(who), await parseForm(form({ essay: ESSAY.slug, parent: String(id), body: 'a reply' }), newCommentForm))),
      };
    };
    const asMissing = await answers(bob, missing);
    expect(asMissing.edit).toMatchObject({ code: 'not-found' });
    expect(asMissing.reply).toMatchObject({ code: 'not-found' });
    const asHeld = await answers(bob, held);
    const withoutId = (a: object) => JSON.stringify(a).replace(new RegExp(`\\b(${held}|${missing})\\b`, 'g'), 'ID');
    expect(withoutId(asHeld)).toEqual(withoutId(asMissing));
    expect(await findPermalink(request(SIGNED_OUT), held)).toEqual({ found: false });
    // Its author and moderators still find it.
    expect(await findPermalink(request(ada), held)).toMatchObject({ found: true });
    expect(await findPermalink(request(admin), held)).toMatchObject({ found: true });
    expect(shown(await editCommentPage(request(admin), held)).refusal?.code).toBe('forbidden');
    expect(shown(await editCommentPage(request(ada), held)).view.form?.value).toBe('Held words');
    expect(db.select().from(comments).where(eq(comments.id, held)).get()).toMatchObject({ bodySource: 'Held words', status: 'pending' });
  });
});

describe('a page of the discussion', () => {
  it('answers an unknown essay with a 404 and a known one with its threads, as the reader sees them', async () => {
    expect(shown(await discussionPage(request(ada), 'nope', new URLSearchParams()))).toMatchObject({ view: null, refusal: { code: 'not-found' } });
    const held = await write(bob, 'Held for review', { status: 'pending' });
    const page = async (who: Reader) => shown(await discussionPage(request(who), ESSAY.slug, new URLSearchParams({ sort: 'newest', page: 'junk' }))).view!;
    const asAdmin = await page(admin);
    expect(asAdmin).toMatchObject({ sort: 'newest', page: 1 });
    expect(String(asAdmin.data.threadsHtml)).toContain(`id="comment-${held}"`);
    expect(String((await page(ada)).data.threadsHtml)).not.toContain('Held for review');
  });
});
