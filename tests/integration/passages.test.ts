// Passage comments on a real migrated SQLite, through the routes and services the pages call: the
// anchor is stored with its comment, checked against the essay as built (a test index made here,
// as the build makes one), refused with the form kept, counted per passage (published only), found
// again after the essay is edited (exact, moved, approximate, or detached and listed for moderators),
// once per version whatever the number of processes, and taken away with the comment's text.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountData, deleteAccount } from '../../db/accounts/accounts.ts';
import { closeDatabase, createDatabase, openDatabase, type Db } from '../../db/client.ts';
import { insertComment } from '../../db/discussion/comment-writes.ts';
import { passageCounts, reanchorEssay } from '../../db/discussion/passages.ts';
import { detachedAnchors } from '../../db/moderation/detached-passages.ts';
import { moderateComments } from '../../db/moderation/comment-moderation.ts';
import { commentAnchors, comments, moderationLog, passageVersions } from '../../db/schema.ts';
import type { Reader } from '../../src/features/accounts/reader.ts';
import { loadDiscussionMarkup } from '../../src/features/discussion/page-markup.ts';
import type { Answer, DiscussionRequest } from '../../src/features/discussion/routes/answer.ts';
import { postCommentDelete } from '../../src/features/discussion/routes/delete-comment.ts';
import { discussionPage } from '../../src/features/discussion/routes/discussion-page.ts';
import { postNewComment } from '../../src/features/discussion/routes/new-comment.ts';
import { findPermalink } from '../../src/features/discussion/routes/permalink.ts';
import { newCommentForm } from '../../src/features/discussion/schemas.ts';
import type { EssayInfo } from '../../src/features/discussion/types.ts';
import { leaveAsDetached, reattach } from '../../src/features/moderation/service.ts';
import type { EssayPassages } from '../../src/features/passages/blocks.ts';
import { decodePassageCounts } from '../../src/features/passages/margin-rules.ts';
import { keepAnchorsCurrent, type PassagesOf } from '../../src/features/passages/service.ts';
import { parseForm } from '../../src/http/form.ts';
import { REFUSAL_STATUS } from '../../src/http/refusal-status.ts';
import { readerAs } from '../support/discussion-readers.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { essayOf, quoteFields } from '../support/passages.ts';

const ESSAY: EssayInfo = { slug: 'open-essay', title: 'Open', discussion: 'open' };
const T0 = 1_800_000_000_000;

const GROWTH = 'WeChat passed 100 million registered accounts in March 2012, fourteen months after launch; Tencent’s chief executive announced it in a one-line post.';
const SHAPE = 'Two things in that line matter for this essay. The first is its shape. Until 2018 the app added around a hundred million accounts a year.';
const JOIN = 'None of WeChat’s data, taken alone, is unusual. Banks know what you spend. What is unusual is the join.';
const CLOSING = 'It slowed because there were few people left to join.';
const V1 = essayOf([GROWTH, SHAPE, JOIN, CLOSING]);

let db: Db;
let ada: Reader;
let bob: Reader;
let admin: Reader;
/** The essay as "built" now: tests swap it for an edited version. */
let built: EssayPassages | undefined;
const passagesOf: PassagesOf = (slug) => (slug === ESSAY.slug ? built : undefined);

const request = (reader: Reader, options: { fragment?: boolean; now?: number } = {}): DiscussionRequest => ({
  db,
  reader,
  fragment: options.fragment ?? false,
  now: options.now ?? T0,
  essayOf: async (slug) => (slug === ESSAY.slug ? ESSAY : null),
  here: '/here',
  passagesOf,
});
const form = (fields: Record<string, string>) =>
  parseForm(new Request('http://site.test/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) }), newCommentForm);
function shown<V>(answer: Answer<V>) {
  if ('redirect' in answer) throw new Error(`redirected to ${answer.redirect}`);
  return answer;
}
const anchors = () => db.select().from(commentAnchors).orderBy(commentAnchors.commentId).all();
const idOf = (body: string) => db.select({ id: comments.id }).from(comments).where(eq(comments.bodySource, body)).get()!.id;

/** Posts a comment on `words` of block `i` as a reader's browser does; answers the new comment's id. */
async function postOn(who: Reader, i: number, words: string, body: string, options: { at?: number; essay?: EssayPassages } = {}) {
  const answer = await postNewComment(request(who, { now: options.at ?? T0 }), await form({ essay: ESSAY.slug, body, ...quoteFields(options.essay ?? V1, i, words) }));
  if (!('redirect' in answer)) throw new Error(`refused: ${answer.refusal?.message}`);
  return idOf(body);
}

const markup = async (reader: Reader, passage: string | null = null, now = T0) =>
  loadDiscussionMarkup(db, { essay: ESSAY, sort: 'oldest', page: 1, reader, now, passage, passagesOf });

beforeEach(async () => {
  db = createDatabase();
  built = V1;
  ada = readerAs(await makeUser(db));
  bob = readerAs(await makeUser(db));
  admin = readerAs(await makeUser(db, { role: 'admin' }), { role: 'admin' });
});
afterEach(() => closeDatabase(db));

describe('posting on a passage', () => {
  it('stores the anchor with the comment, and the discussion shows the quote linking to the words in the essay', async () => {
    const answer = await postNewComment(request(ada), await form({ essay: ESSAY.slug, body: 'On the shape', ...quoteFields(V1, 1, 'The first is its shape.') }));
    const id = idOf('On the shape');
    const block = V1.blocks[1]!;
    const start = SHAPE.indexOf('The first');
    // A reader without a script goes back to the passage's page.
    expect(answer).toEqual({ redirect: `/discussion/open-essay/?passage=${block.id}#comment-${id}` });
    expect(anchors()).toEqual([
      {
        commentId: id,
        essay: ESSAY.slug,
        quote: 'The first is its shape.',
        blockId: block.id,
        exact: 'The first is its shape.',
        prefix: SHAPE.slice(start - 32, start),
        suffix: ' Until 2018 the app added around',
        version: V1.version,
        locatedBlock: block.id,
        locatedStart: start,
        locatedEnd: start + 'The first is its shape.'.length,
        locatedVersion: V1.version,
        status: 'exact',
        reviewedAt: null,
      },
    ]);
    const html = (await markup(bob)).threadsHtml.toString();
    expect(html).toContain(`<blockquote class="comment-passage"><a href="/essays/open-essay/?hl=${start}-${start + 23}#${block.id}" data-passage-link>The first is its shape.</a></blockquote>`);
  });

  it('answers the script with the margin’s counts, and a reply is an ordinary reply', async () => {
    const id = await postOn(ada, 2, 'the join', 'About the join');
    const reply = shown(await postNewComment(request(bob, { fragment: true }), await form({ essay: ESSAY.slug, parent: String(id), body: 'A reply' })));
    expect(reply.status).toBe(201);
    expect(reply.headers).toMatchObject({ 'X-Passage-Counts': `${V1.blocks[2]!.id}:1` });
    expect(anchors().map((a) => a.commentId)).toEqual([id]);
  });

  it('picks the place the reader selected among repeats by the context sent, and the first without a script', async () => {
    const twice = essayOf(['The price is convenience. Some pay it gladly; the price is convenience, others say.']);
    built = twice;
    const text = twice.blocks[0]!.text;
    const second = text.lastIndexOf('the price is convenience'.slice(4));
    const withContext = { passage: twice.blocks[0]!.id, quote: 'price is convenience', quote_prefix: text.slice(second - 32, second), quote_suffix: text.slice(second + 20, second + 52) };
    await postNewComment(request(ada), await form({ essay: ESSAY.slug, body: 'second', ...withContext }));
    await postNewComment(request(ada), await form({ essay: ESSAY.slug, body: 'first', passage: twice.blocks[0]!.id, quote: 'price is convenience' }));
    expect(anchors().map((a) => a.locatedStart)).toEqual([second, text.indexOf('price is convenience')]);
  });

  it('refuses a passage not in the essay, words not in it, an over-long quote, a quote on a reply, and an essay without an index: 4xx, the form kept, nothing stored', async () => {
    const root = await makeComment(db, { essay: ESSAY.slug, authorId: bob.account!.id, body: 'root' });
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ passage: 'p-zzzzzzzz', quote: 'The first' }, 400, /not in this essay as it stands now/],
      [{ passage: '<script>', quote: 'The first' }, 400, /not in this essay as it stands now/],
      [{ passage: V1.blocks[1]!.id, quote: 'Words the essay never says' }, 400, /not in that passage/],
      [{ passage: V1.blocks[1]!.id, quote: '' }, 400, /quote is empty/],
      [{ passage: V1.blocks[1]!.id, quote: `${'x'.repeat(501)}` }, 400, /at most 500 characters; this one has 501/],
      [{ passage: V1.blocks[1]!.id, quote: 'The first', parent: String(root) }, 400, /A reply answers its comment/],
    ];
    for (const [fields, status, message] of cases) {
      const answer = shown(await postNewComment(request(ada), await form({ essay: ESSAY.slug, body: 'Kept words', ...fields })));
      expect(answer.refusal?.message, JSON.stringify(fields)).toMatch(message);
      expect(REFUSAL_STATUS[answer.refusal!.code]).toBe(status);
      expect(answer.view).toMatchObject({ kind: 'form', form: { value: 'Kept words', passage: { block: fields.passage, quote: fields.quote } } });
    }
    built = undefined;
    const noIndex = shown(await postNewComment(request(ada), await form({ essay: ESSAY.slug, body: 'Kept words', ...quoteFields(V1, 1, 'The first') })));
    expect(noIndex.refusal).toMatchObject({ code: 'unavailable', field: 'passage' });
    expect(db.select().from(comments).all().map((c) => c.bodySource)).toEqual(['root']);
    expect(anchors()).toEqual([]);
  });

  it('applies the same rules as to any comment: a closed discussion, a banned reader, the rate limit', async () => {
    const closed = { ...request(ada), essayOf: async () => ({ ...ESSAY, discussion: 'closed' as const }) };
    expect(shown(await postNewComment(closed, await form({ essay: ESSAY.slug, body: 'x', ...quoteFields(V1, 0, 'WeChat') }))).refusal?.code).toBe('closed');
    const banned = readerAs(ada.account!, { bannedAt: 1 });
    expect(shown(await postNewComment(request(banned), await form({ essay: ESSAY.slug, body: 'y', ...quoteFields(V1, 0, 'WeChat') }))).refusal?.code).toBe('banned');
    for (let i = 0; i < 5; i++) await postOn(bob, 0, 'WeChat', `quick ${i}`, { at: T0 + i });
    expect(shown(await postNewComment(request(bob, { now: T0 + 10 }), await form({ essay: ESSAY.slug, body: 'sixth', ...quoteFields(V1, 0, 'WeChat') }))).refusal?.code).toBe('rate-limited');
    expect(anchors()).toHaveLength(5);
  });
});

describe('the margin’s counts', () => {
  it('counts published comments per passage in one indexed query, never held, hidden or detached ones', async () => {
    const shape = await postOn(ada, 1, 'its shape', 'one');
    await postOn(bob, 1, 'The first', 'two');
    const held = await postOn(ada, 2, 'the join', 'held');
    const hidden = await postOn(bob, 2, 'Banks', 'hidden');
    await postOn(ada, 3, 'few people', 'to detach');
    db.update(comments).set({ status: 'pending' }).where(eq(comments.id, held)).run();
    db.update(comments).set({ status: 'hidden' }).where(eq(comments.id, hidden)).run();
    db.update(commentAnchors).set({ status: 'detached', locatedBlock: null }).where(eq(commentAnchors.commentId, idOf('to detach'))).run();
    expect(passageCounts(db, ESSAY.slug)).toEqual(new Map([[V1.blocks[1]!.id, 2]]));
    const plan = db.$client
      .prepare(`explain query plan select a.located_block, count(*) from comment_anchors a join comments c on c.id = a.comment_id
        where a.essay = ? and a.located_block is not null and c.status = 'published' group by a.located_block`)
      .all(ESSAY.slug) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING (?:COVERING )?INDEX comment_anchors_located/);
    // The island carries them, and a moderator (who sees the held comment) is shown the same public counts.
    expect((await markup(bob)).passageCounts).toBe(`${V1.blocks[1]!.id}:2`);
    expect((await markup(admin)).passageCounts).toBe(`${V1.blocks[1]!.id}:2`);
    expect(shape).toBeGreaterThan(0);
  });
});

describe('the island’s growth', () => {
  it('carries the counts of 1,000 comments on 100 passages in under 2 KB', async () => {
    built = essayOf(Array.from({ length: 100 }, (_, i) => `Paragraph ${i}: words that readers argue with, at some length, as essays do.`));
    for (let i = 0; i < 1000; i++) {
      const block = built.blocks[(i * 37) % 100]!;
      const anchor = { block: block.id, exact: 'words that readers argue with', prefix: block.text.slice(0, block.text.indexOf('words')), suffix: ', at some length, as essays do.', version: built.version };
      const start = block.text.indexOf('words');
      await insertComment(db, { essay: ESSAY.slug, authorId: ada.account!.id, bodySource: `c${i}`, bodyHtml: `<p>c${i}</p>`, rendererVersion: 0, createdAt: T0 - i, anchor: { anchor, quote: anchor.exact, start, end: start + anchor.exact.length } });
    }
    const counts = (await markup(bob)).passageCounts;
    expect([...decodePassageCounts(counts).values()].reduce((a, b) => a + b, 0)).toBe(1000);
    expect(decodePassageCounts(counts).size).toBe(100);
    expect(Buffer.byteLength(` data-passage-counts="${counts}"`)).toBeLessThanOrEqual(2048);
  });
});

describe('a passage’s page', () => {
  it('shows the block from the index, only the threads on it (replies too), and a form quoting its first 500 characters', async () => {
    const long = `${'Word '.repeat(110)}end.`;
    built = essayOf([GROWTH, SHAPE, long]);
    const on = await postOn(ada, 1, 'its shape', 'on the shape', { essay: built });
    await makeComment(db, { essay: ESSAY.slug, authorId: bob.account!.id, body: 'a reply', parentId: on });
    await makeComment(db, { essay: ESSAY.slug, authorId: bob.account!.id, body: 'not on a passage' });
    await postOn(bob, 0, 'WeChat', 'on growth', { essay: built });
    const page = shown(await discussionPage(request(bob), ESSAY.slug, new URLSearchParams({ passage: built.blocks[1]!.id })));
    expect(page.view?.passage?.block).toEqual(built.blocks[1]);
    const html = page.view!.data.threadsHtml.toString();
    expect(html).toContain('on the shape');
    expect(html).toContain('a reply');
    expect(html).not.toContain('not on a passage');
    expect(html).not.toContain('on growth');
    const longPage = shown(await discussionPage(request(bob), ESSAY.slug, new URLSearchParams({ passage: built.blocks[2]!.id })));
    const quote = longPage.view!.passage!.form.quote;
    expect([...quote].length).toBeLessThanOrEqual(500);
    expect(long.startsWith(quote)).toBe(true);
    expect(long[quote.length]).toBe(' ');
  });

  it('answers a malformed passage with 400 and one not in the essay as built with 404', async () => {
    expect(shown(await discussionPage(request(bob), ESSAY.slug, new URLSearchParams({ passage: '"><svg onload=x>' }))).refusal?.code).toBe('invalid');
    expect(shown(await discussionPage(request(bob), ESSAY.slug, new URLSearchParams({ passage: 'p-00000000' }))).refusal?.code).toBe('not-found');
    built = undefined;
    expect(shown(await discussionPage(request(bob), ESSAY.slug, new URLSearchParams({ passage: V1.blocks[0]!.id }))).refusal?.code).toBe('not-found');
  });

  it('is where a passage comment’s permalink leads, on the page of the passage that holds it', async () => {
    const id = await postOn(ada, 1, 'its shape', 'permalinked');
    const reply = await makeComment(db, { essay: ESSAY.slug, authorId: bob.account!.id, body: 'reply', parentId: id });
    expect(await findPermalink(request(bob), reply)).toEqual({ found: true, essay: ESSAY.slug, page: 1, href: `/discussion/open-essay/?passage=${V1.blocks[1]!.id}#comment-${reply}` });
  });
});

describe('re-anchoring after the essay is edited', () => {
  // (a) a paragraph added before the growth paragraph and the paragraphs reordered; (b) one word of the
  // quoted sentence reworded (the block gets a new id); (c) the closing paragraph deleted; (d) the quoted
  // paragraph edited elsewhere, so the words, unchanged with their surroundings, are in a block with a new id.
  const SHAPE_EDITED = SHAPE.replace('added around a hundred', 'added about a hundred');
  const JOIN_EDITED = JOIN.replace('WeChat’s data', 'this data');
  const V2 = essayOf(['A new opening paragraph.', JOIN_EDITED, GROWTH, SHAPE_EDITED]);

  it('finds each anchor again: exact, approximate, detached or moved, keeping the quote the reader made', async () => {
    const growth = await postOn(ada, 0, 'fourteen months after launch', 'growth');
    const shape = await postOn(ada, 1, 'Until 2018 the app added around a hundred million accounts a year.', 'shape');
    const closing = await postOn(bob, 3, 'few people left to join', 'closing');
    const join = await postOn(bob, 2, 'What is unusual is the join.', 'join');
    built = V2;
    expect(keepAnchorsCurrent(db, ESSAY.slug, V2, T0 + 1)).toBe(4);
    const byId = new Map(anchors().map((a) => [a.commentId, a]));
    expect(byId.get(growth)).toMatchObject({ status: 'exact', locatedBlock: V2.blocks[2]!.id, locatedStart: GROWTH.indexOf('fourteen'), locatedVersion: V2.version });
    expect(byId.get(shape)).toMatchObject({ status: 'approximate', locatedBlock: V2.blocks[3]!.id, quote: 'Until 2018 the app added around a hundred million accounts a year.' });
    expect(V2.blocks[3]!.text.slice(byId.get(shape)!.locatedStart!, byId.get(shape)!.locatedEnd!)).toBe('Until 2018 the app added about a hundred million accounts a year.');
    expect(byId.get(closing)).toMatchObject({ status: 'detached', locatedBlock: null, locatedStart: null, quote: 'few people left to join', reviewedAt: null });
    expect(byId.get(join)).toMatchObject({ status: 'moved', locatedBlock: V2.blocks[1]!.id, locatedStart: JOIN_EDITED.indexOf('What is unusual') });
    expect(V2.blocks[1]!.id).not.toBe(V1.blocks[2]!.id);
    expect(db.select().from(passageVersions).all()).toEqual([{ essay: ESSAY.slug, version: V2.version, reanchoredAt: T0 + 1 }]);

    // Readers see the detached comment with its quote, "on an earlier version of this passage"; it is not counted in the margin.
    const html = (await markup(bob, null, T0 + 2)).threadsHtml.toString();
    expect(html).toContain('<blockquote class="comment-passage comment-passage-detached"><p class="comment-passage-note">On an earlier version of this passage</p><p>few people left to join</p></blockquote>');
    expect(passageCounts(db, ESSAY.slug).has(V1.blocks[3]!.id)).toBe(false);
    expect(await detachedAnchors(db, false)).toEqual([{ commentId: closing, essay: ESSAY.slug, quote: 'few people left to join', blockId: V1.blocks[3]!.id, reviewedAt: null }]);
  });

  it('re-anchors lazily, the first time the discussion is read after the build changed, and never against no index', async () => {
    await postOn(bob, 3, 'few people left to join', 'closing');
    built = undefined;
    await markup(bob);
    expect(anchors()[0]).toMatchObject({ status: 'exact', locatedVersion: V1.version });
    built = V2;
    await markup(bob);
    expect(anchors()[0]).toMatchObject({ status: 'detached', locatedVersion: V2.version });
    // An essay the index lacks (a renamed essay, an index from before it) leaves its anchors alone too.
    expect(keepAnchorsCurrent(db, 'another-essay', undefined)).toBeNull();
  });

  it('lets one process re-anchor: a second one, on the same database, finds the version recorded and changes nothing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tcb-anchors-')), 'site.db');
    const first = createDatabase(file);
    const second = openDatabase(file);
    try {
      const author = await makeUser(first);
      const id = await makeComment(first, { essay: ESSAY.slug, authorId: author.id, body: 'x' });
      first.insert(commentAnchors).values({ commentId: id, essay: ESSAY.slug, quote: 'few people', blockId: V1.blocks[3]!.id, exact: 'few people', prefix: 'It slowed because there were ', suffix: ' left to join.', version: V1.version, locatedBlock: V1.blocks[3]!.id, locatedStart: 29, locatedEnd: 39, locatedVersion: V1.version, status: 'exact' }).run();
      expect(keepAnchorsCurrent(first, ESSAY.slug, V2, T0)).toBe(1);
      // Had the second process placed it again, the mark below would be overwritten.
      first.update(commentAnchors).set({ reviewedAt: 7 }).run();
      let asked = 0;
      expect(reanchorEssay(second, { essay: ESSAY.slug, version: V2.version, now: T0 + 5 }, () => (asked++, []))).toBeNull();
      expect(keepAnchorsCurrent(second, ESSAY.slug, V2, T0 + 5)).toBeNull();
      expect(asked).toBe(0);
      expect(first.select().from(commentAnchors).get()).toMatchObject({ status: 'detached', reviewedAt: 7 });
      expect(first.select().from(passageVersions).get()).toMatchObject({ reanchoredAt: T0 });
      // A re-anchoring that fails leaves the anchors and the recorded version as they were.
      expect(() => reanchorEssay(second, { essay: ESSAY.slug, version: 'v3', now: T0 + 9 }, () => { throw new Error('boom'); })).toThrow('boom');
      expect(first.select().from(passageVersions).get()).toMatchObject({ version: V2.version });
    } finally {
      closeDatabase(second);
      closeDatabase(first);
    }
  });
});

describe('moderators and detached comments', () => {
  const V2 = essayOf([GROWTH, SHAPE, JOIN, 'It slowed for good reasons.']);

  async function detached() {
    const id = await postOn(ada, 3, 'few people left to join', 'closing');
    built = V2;
    keepAnchorsCurrent(db, ESSAY.slug, V2, T0 + 1);
    return id;
  }

  it('re-attaches one to a block of the essay as built, checked like a reader’s quote, logged; the reader’s quote stays', async () => {
    const id = await detached();
    const target = V2.blocks[3]!;
    expect(reattach(db, bob, { commentId: id, block: target.id, quote: '' }, passagesOf)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(reattach(db, admin, { commentId: id, block: target.id, quote: 'not in it' }, passagesOf)).toMatchObject({ ok: false, code: 'invalid' });
    expect(reattach(db, admin, { commentId: id, block: 'p-zzzzzzzz', quote: '' }, passagesOf)).toMatchObject({ ok: false, code: 'invalid' });
    expect(anchors()[0]).toMatchObject({ status: 'detached' });
    expect(reattach(db, admin, { commentId: id, block: target.id, quote: 'for good reasons' }, passagesOf, T0 + 2)).toEqual({ ok: true, block: target.id });
    expect(anchors()[0]).toMatchObject({ status: 'exact', quote: 'few people left to join', blockId: target.id, exact: 'for good reasons', locatedBlock: target.id, reviewedAt: T0 + 2 });
    expect(db.select().from(moderationLog).all()).toMatchObject([{ action: 'reattach-passage', targetType: 'comment', targetId: String(id), note: target.id }]);
    // Attached again, it cannot be re-attached or left as if detached.
    expect(leaveAsDetached(db, admin, id)).toMatchObject({ ok: false, code: 'conflict' });
    // A later build finds it where the moderator put it.
    built = essayOf(['A new first paragraph.', ...V2.blocks.map((b) => b.text)]);
    keepAnchorsCurrent(db, ESSAY.slug, built, T0 + 3);
    expect(anchors()[0]).toMatchObject({ status: 'exact', locatedBlock: target.id });
  });

  it('re-attaches to a whole block’s first words when no words are given', async () => {
    const id = await detached();
    expect(reattach(db, admin, { commentId: id, block: V2.blocks[2]!.id, quote: '  ' }, passagesOf)).toMatchObject({ ok: true });
    expect(anchors()[0]).toMatchObject({ exact: JOIN, locatedStart: 0, locatedEnd: JOIN.length });
  });

  it('leaves one as it is, marked reviewed and logged; a comment on no passage is refused', async () => {
    const id = await detached();
    const plain = await makeComment(db, { essay: ESSAY.slug, authorId: ada.account!.id, body: 'plain' });
    expect(leaveAsDetached(db, ada, id)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(leaveAsDetached(db, admin, plain)).toMatchObject({ ok: false, code: 'not-found' });
    expect(leaveAsDetached(db, admin, id, T0 + 5)).toEqual({ ok: true });
    expect(await detachedAnchors(db, false)).toEqual([]);
    expect((await detachedAnchors(db, true)).map((r) => [r.commentId, r.reviewedAt])).toEqual([[id, T0 + 5]]);
    expect(db.select().from(moderationLog).all()).toMatchObject([{ action: 'leave-detached', targetId: String(id) }]);
  });
});

describe('taking a passage comment away', () => {
  it('deletes the anchor with the comment, with its text when it stays as a placeholder, and with a purge', async () => {
    const alone = await postOn(ada, 0, 'WeChat', 'alone');
    const answered = await postOn(ada, 1, 'its shape', 'answered');
    const purged = await postOn(bob, 2, 'the join', 'purged');
    for (const parent of [answered, purged]) await makeComment(db, { essay: ESSAY.slug, authorId: admin.account!.id, body: `reply to ${parent}`, parentId: parent });
    await postCommentDelete(request(ada), alone);
    await postCommentDelete(request(ada), answered);
    expect(db.select({ status: comments.status }).from(comments).where(eq(comments.id, answered)).get()).toEqual({ status: 'deleted' });
    moderateComments(db, admin, [purged], 'purge', { reason: 'abuse' }, T0);
    expect(db.select({ status: comments.status }).from(comments).where(eq(comments.id, purged)).get()).toEqual({ status: 'hidden' });
    expect(anchors()).toEqual([]);
  });

  it('exports each comment’s anchor with the account’s data, and erasure takes it', async () => {
    const id = await postOn(ada, 1, 'its shape', 'mine');
    await makeComment(db, { essay: ESSAY.slug, authorId: bob.account!.id, body: 'a reply keeps the placeholder', parentId: id });
    const plain = await makeComment(db, { essay: ESSAY.slug, authorId: ada.account!.id, body: 'plain' });
    const data = (await accountData(db, ada.account!.id))!;
    expect(data.comments.find((c) => c.id === id)!.passage).toEqual({
      quote: 'its shape',
      block: V1.blocks[1]!.id,
      exact: 'its shape',
      prefix: expect.stringMatching(/The first is $/),
      suffix: expect.stringMatching(/^\. Until 2018/),
      essayVersion: V1.version,
      status: 'exact',
      locatedBlock: V1.blocks[1]!.id,
    });
    expect(data.comments.find((c) => c.id === plain)!.passage).toBeNull();
    await deleteAccount(db, ada.account!.id);
    expect(anchors()).toEqual([]);
  });
});
