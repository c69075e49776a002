// The threads readers share (src/features/discussion/page-markup.ts) on a real migrated SQLite file:
// each reader's own state filled in, a rendering kept only while the database is unchanged and
// for 30 s at most, and readers who see something others do not never served the shared one.
import { SHARED_STAND_IN } from '../../src/server/joined-response.ts';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { parseHTML } from 'linkedom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase, type Db } from '../../db/client.ts';
import { flagComment } from '../../db/moderation/flags.ts';
import { setLike } from '../../db/discussion/likes.ts';
import { comments } from '../../db/schema.ts';
import type { Reader } from '../../src/features/accounts/reader.ts';
import { controlTemplatesHtml } from '../../src/features/discussion/comment-html.ts';
import { applyMine, drawControls } from '../../src/features/discussion/components/thread-dom.ts';
import { loadDiscussionMarkup } from '../../src/features/discussion/page-markup.ts';
import type { EssayInfo } from '../../src/features/discussion/types.ts';
import { readerAs, SIGNED_OUT, suspended } from '../support/discussion-readers.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { tempDir } from '../support/paths.ts';

const ESSAY = { slug: 'wechat-app-for-everything', title: 'WeChat', discussion: 'open' as const };
const T0 = Date.UTC(2026, 10, 22, 12);

describe('threads shared between readers', () => {
  let path: string;
  let db: Db;
  beforeEach(() => {
    path = join(tempDir(), 'site.db');
    db = createDatabase(path);
  });
  afterEach(() => closeDatabase(db));

  async function reader(role: 'reader' | 'admin' = 'reader'): Promise<Reader> {
    return readerAs(await makeUser(db, { role }), { role });
  }
  const idOf = (who: Reader) => who.account!.id;
  async function view(who: Reader, now = T0, controls: 'full' | 'compact' = 'full', essay: EssayInfo = ESSAY) {
    const data = await loadDiscussionMarkup(db, { essay, sort: 'oldest', page: 1, reader: who, now, controls });
    const templates = controls === 'compact' ? controlTemplatesHtml(essay.slug).markup : '';
    // The shared threads in place of their stand-in, as the middleware puts them (server/joined-response.ts).
    const threads = data.sharedThreads ? String(data.threadsHtml).replace(SHARED_STAND_IN.toString(), data.sharedThreads.bytes.toString()) : String(data.threadsHtml);
    return parseHTML(`<!doctype html><html><body>${threads}${data.readerParts ?? ''}${templates}</body></html>`).document;
  }
  /** The island's script putting the reader's own parts in place and drawing the compact controls (thread-dom.ts), run on `doc` as its document. */
  function drawn(doc: Document, draw = true): Document {
    const had = globalThis.document;
    globalThis.document = doc;
    try {
      applyMine();
      if (draw) drawControls();
    } finally {
      globalThis.document = had;
    }
    return doc;
  }
  /** Markup with each element's attributes in one order (the order they were set in is no part of what they mean). */
  const canonical = (node: Node): string =>
    node.nodeType !== 1
      ? (node.textContent ?? '')
      : `<${(node as Element).localName}${[...(node as Element).attributes].map((a) => ` ${a.name}="${a.value}"`).sort().join('')}>${[...node.childNodes].map(canonical).join('')}</>`;
  const footers = (doc: Document) => [...doc.querySelectorAll('li.comment')].map((li) => `${li.id} ${li.className} ${li.querySelector(':scope > .comment-new-mark')?.outerHTML ?? ''}: ${[...(li.querySelector(':scope > article > footer')?.childNodes ?? [])].map(canonical).join('')}`);
  /** How many elements match any of the comma-separated selectors inside one comment (not its replies). */
  const inComment = (doc: Document, id: number, selectors: string) =>
    doc.querySelectorAll(selectors.split(',').map((s) => `#comment-${id} > article ${s.trim()}`).join(', ')).length;

  it("fills in each reader's likes, flags and own comments, and nobody else's", async () => {
    const [ada, bob, carol, dan] = [await reader(), await reader(), await reader(), await reader()];
    const first = await makeComment(db, { essay: ESSAY.slug, authorId: idOf(ada), body: 'first', createdAt: T0 - 60_000 });
    const second = await makeComment(db, { essay: ESSAY.slug, authorId: idOf(bob), body: 'second', createdAt: T0 - 30_000 });
    await setLike(db, { commentId: first, reader: carol, liked: true });
    await flagComment(db, { commentId: second, userId: idOf(carol), reason: 'off-topic' });

    const asCarol = await view(carol);
    expect(asCarol.querySelector(`#comment-${first} button.like-button`)!.getAttribute('aria-pressed')).toBe('true');
    expect(inComment(asCarol, second, '.flag-done')).toBe(1);

    const asBob = await view(bob);
    expect(asBob.querySelector(`#comment-${first} button.like-button`)!.getAttribute('aria-pressed')).toBe('false');
    expect(asBob.querySelector(`#comment-${second}`)!.className).toBe('comment comment-comment comment-own');
    expect(inComment(asBob, second, 'a.comment-edit')).toBe(1);
    expect(inComment(asBob, second, 'button.like-button, .flag-done, a.flag-link')).toBe(0);

    const asDan = await view(dan);
    expect(asDan.querySelector(`#comment-${first} button.like-button`)!.getAttribute('aria-pressed')).toBe('false');
    expect(inComment(asDan, second, 'a.flag-link')).toBe(1);
    expect(asDan.querySelectorAll('.comment-own, a.comment-edit, a.comment-delete').length).toBe(0);

    const signedOut = await view(SIGNED_OUT);
    expect(signedOut.querySelectorAll('form, a.comment-reply, a.flag-link').length).toBe(0);
    expect(signedOut.querySelector(`#comment-${first} .like-count`)!.textContent).toBe('Liked by 1 person');
  });

  it('keeps one rendering while nothing is written, for 30 seconds at most, and drops it on any write', async () => {
    const ada = await reader();
    const bob = await reader();
    const first = await makeComment(db, { essay: ESSAY.slug, authorId: idOf(ada), body: 'first', createdAt: T0 - 50_000 });
    const time = async (now: number) => (await view(bob, now)).querySelector(`#comment-${first} time`)!.textContent;
    expect(await time(T0)).toBe('just now');
    // 20 s later a fresh rendering would say "1 minute ago": the kept one still says "just now".
    expect(await time(T0 + 20_000)).toBe('just now');
    expect(await time(T0 + 31_000)).toBe('1 minute ago');

    // Any write, here a new comment, is seen at once.
    const second = await makeComment(db, { essay: ESSAY.slug, authorId: idOf(ada), body: 'second', createdAt: T0 + 31_500 });
    expect(inComment(await view(bob, T0 + 32_000), second, '.comment-body')).toBe(1);

    // So is a write by another connection (another process, the admin command): SQLite's data_version.
    const other = createDatabase(path);
    other.update(comments).set({ status: 'hidden' }).where(eq(comments.id, second)).run();
    closeDatabase(other);
    expect((await view(bob, T0 + 33_000)).querySelector(`#comment-${second}`)).toBeNull();
  });

  it('renders threads of their own for moderators, suspended readers and readers with a held comment', async () => {
    const ada = await reader();
    const admin = await reader('admin');
    const first = await makeComment(db, { essay: ESSAY.slug, authorId: idOf(ada), body: 'first', createdAt: T0 - 60_000 });
    const held = await makeComment(db, { essay: ESSAY.slug, authorId: idOf(ada), body: 'held', createdAt: T0 - 30_000 });
    db.update(comments).set({ status: 'pending' }).where(eq(comments.id, held)).run();
    const bob = await reader();
    await view(bob);

    const asAdmin = await view(admin);
    expect(inComment(asAdmin, first, '.admin-controls')).toBe(1);
    expect(asAdmin.querySelector(`#comment-${held} .comment-pending`)!.textContent).toBe('Held for review: only moderators can see this.');
    expect((await view(ada)).querySelector(`#comment-${held} .comment-pending`)!.textContent).toBe('Awaiting moderation: only you can see this.');

    const asBob = await view(bob);
    expect(asBob.querySelectorAll('.admin-controls').length).toBe(0);
    expect(asBob.querySelector(`#comment-${held}`)).toBeNull();

    const asSuspended = await view(suspended(bob, T0 - 1));
    expect(asSuspended.querySelectorAll('button.like-button, a.comment-reply, a.flag-link').length).toBe(0);
    expect(inComment(await view(bob), first, 'button.like-button')).toBe(1);
  });

  it("writes compact controls that the island's script draws into exactly the discussion page's controls, for every kind of reader", async () => {
    const [ada, bob, carol] = [await reader(), await reader(), await reader()];
    const admin = await reader('admin');
    const first = await makeComment(db, { essay: ESSAY.slug, authorId: idOf(ada), body: 'first', createdAt: T0 - 60_000 });
    const reply = await makeComment(db, { essay: ESSAY.slug, authorId: idOf(bob), body: 'a reply', parentId: first, createdAt: T0 - 50_000 });
    const old = await makeComment(db, { essay: ESSAY.slug, authorId: idOf(carol), body: 'old', createdAt: T0 - 3_600_000 });
    const gone = await makeComment(db, { essay: ESSAY.slug, authorId: idOf(bob), body: 'removed', createdAt: T0 - 40_000 });
    db.update(comments).set({ status: 'hidden', moderationReason: 'spam' }).where(eq(comments.id, gone)).run();
    await setLike(db, { commentId: first, reader: carol, liked: true });
    await setLike(db, { commentId: reply, reader: carol, liked: true });
    await flagComment(db, { commentId: reply, userId: idOf(carol), reason: 'off-topic' });

    // Eve last read the discussion two hours ago: every comment since is new to her.
    const eve = await reader();
    await view(eve, T0 - 7_200_000);
    await view(eve, T0);
    const closed = { ...ESSAY, discussion: 'closed' as const };
    for (const [who, essay] of [[ada, ESSAY], [bob, ESSAY], [carol, ESSAY], [eve, ESSAY], [suspended(bob, T0 - 1), ESSAY], [admin, ESSAY], [SIGNED_OUT, ESSAY], [carol, closed], [bob, closed]] as const) {
      const full = await view(who, T0, 'full', essay);
      const compact = await view(who, T0, 'compact', essay);
      const name = `${who.account?.username ?? 'signed out'}${essay === closed ? ', closed' : ''}`;
      // Sent compact wherever a reader has controls, and only there (a moderator's are written out).
      expect(compact.querySelectorAll('[data-acts]').length > 0, name).toBe(who.account !== null && !who.may.moderate);
      expect(full.querySelectorAll('[data-acts]').length, name).toBe(0);
      expect(footers(drawn(compact)), name).toEqual(footers(full));
      if (who === eve) expect(compact.querySelectorAll('li.comment-new > .comment-new-mark').length, name).toBe(3);
    }

    // What the letters say, for a reader in good standing: Carol liked the first comment and the reply and flagged the reply; the old comment is hers, past its edit window.
    // The shared threads carry every reader's letters; hers come apart, and are put in place first.
    const sent = await view(carol, T0, 'compact');
    // Rendered, the shared threads are only their stand-in: the middleware puts their bytes in (Astro would copy them into every response).
    const rendered = await loadDiscussionMarkup(db, { essay: ESSAY, sort: 'oldest', page: 1, reader: carol, now: T0, controls: 'compact' });
    expect(String(rendered.threadsHtml)).toContain(SHARED_STAND_IN.toString());
    expect(String(rendered.threadsHtml)).not.toContain(`id="comment-${first}"`);
    expect(rendered.sharedThreads!.bytes.toString()).toContain(`id="comment-${first}"`);
    expect(sent.querySelector(`#comment-${first} > article > footer`)!.getAttribute('data-acts')).toBe('lrf');
    expect(sent.querySelector<HTMLTemplateElement>('template[data-mine]')!.content.children.length).toBe(3);
    const asCarol = drawn(sent, false);
    const acts = (id: number) => asCarol.querySelector(`#comment-${id} > article > footer`)!.getAttribute('data-acts');
    expect([acts(first), acts(reply), acts(old)]).toEqual(['Lrf', 'LrF', 'rd']);
    expect(asCarol.querySelector(`#comment-${old} > article > footer`)!.textContent).toBe('');
    // The like count is in the compact footer as words, to be drawn beside the button.
    expect(asCarol.querySelector(`#comment-${first} > article > footer`)!.textContent).toBe('Liked by 1 person');
    expect(asCarol.querySelectorAll('form, a.comment-reply, a.flag-link').length).toBe(0);
    // While the discussion is closed Bob may still delete his reply, not edit it (within its window) or reply.
    const bobs = drawn(await view(bob, T0, 'compact', closed), false).querySelector(`#comment-${reply} > article > footer`)!.getAttribute('data-acts');
    expect([bobs, drawn(await view(bob, T0, 'compact'), false).querySelector(`#comment-${reply} > article > footer`)!.getAttribute('data-acts')]).toEqual(['d', 'red']);
  });
});
