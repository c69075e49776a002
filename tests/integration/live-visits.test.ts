// "New since your last visit" on a real migrated SQLite, through the loading the island and the
// discussion page share (page-markup.ts): exactly the comments posted after the reader's previous
// visit are marked, in words and in order; the marks move on when the reader has read; a load
// writes only when something is new, and loads' visits are written together; the visits go with
// the account and into its export.
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { accountData, deleteAccount } from '../../db/accounts/accounts.ts';
import { dataVersion } from '../../db/data-version.ts';
import { findVisit } from '../../db/discussion/visits.ts';
import type { Reader } from '../../src/features/accounts/reader.ts';
import { VISIT_MS } from '../../src/features/discussion/live/visit-rules.ts';
import { flushVisits } from '../../src/features/discussion/live/visits.ts';
import { loadDiscussionMarkup } from '../../src/features/discussion/page-markup.ts';
import { readerAs, SIGNED_OUT } from '../support/discussion-readers.ts';
import { ada, bob, db, ESSAY, OTHER, postOk, useDiscussionWorld } from '../support/discussion-world.ts';
import { makeUser } from '../support/fixtures.ts';

useDiscussionWorld();

const T0 = 1_900_000_000_000;
const MIN = 60_000;

/** One load, its visit written at once (the server writes them a few seconds later, together). */
async function load(who: Reader, at: number, page = 1) {
  const data = await loadDiscussionMarkup(db, { essay: ESSAY, sort: 'oldest', page, reader: who, now: at });
  flushVisits(db);
  const doc = parseHTML(`<!doctype html><html><body>${data.threadsHtml}</body></html>`).document;
  const marked = [...doc.querySelectorAll('li.comment-new')].map((li) => Number(li.getAttribute('data-comment-id')));
  return { data, doc, marked };
}

describe('new since your last visit', () => {
  it('marks exactly the comments others posted after the previous visit, and moves on when the reader has read', async () => {
    const first = await load(bob, T0);
    expect(first.marked).toEqual([]);
    const a = await postOk(ada, 'After bob looked', { at: T0 + MIN });
    const reply = await postOk(ada, 'A reply, also new', { at: T0 + 2 * MIN, parentId: a });
    await postOk(bob, 'Bob himself', { at: T0 + 3 * MIN });
    await postOk(ada, 'Elsewhere', { at: T0 + 3 * MIN, essay: OTHER });

    const second = await load(bob, T0 + 10 * MIN);
    expect(second.marked).toEqual([a, reply]);
    expect(second.data.newIds).toEqual([a, reply]);
    // In words, before the comment: visible, and read out by screen readers.
    expect(second.doc.querySelector(`#comment-${a} > .comment-new-mark`)!.textContent).toBe('New since your last visit');

    // A reload, another page or sort within the visit shows the same marks, and writes nothing.
    const version = await dataVersion(db);
    expect((await load(bob, T0 + 15 * MIN)).marked).toEqual([a, reply]);
    expect(await dataVersion(db)).toBe(version);

    // Something new: only that is marked now.
    const later = await postOk(ada, 'Later still', { at: T0 + 20 * MIN });
    expect((await load(bob, T0 + 30 * MIN)).marked).toEqual([later]);
    // Read, and nothing new for the length of a visit: no marks.
    expect((await load(bob, T0 + 30 * MIN + VISIT_MS + 1)).marked).toEqual([]);
  });

  it('is per reader and per essay', async () => {
    const carol = readerAs(await makeUser(db));
    await load(bob, T0);
    await load(carol, T0 + 5 * MIN);
    const a = await postOk(ada, 'Between', { at: T0 + 2 * MIN });
    const b = await postOk(ada, 'After carol', { at: T0 + 6 * MIN });
    expect((await load(bob, T0 + 10 * MIN)).marked).toEqual([a, b]);
    expect((await load(carol, T0 + 10 * MIN)).marked).toEqual([b]);
    expect(findVisit(db, bob.account!.id, OTHER.slug)).toBeUndefined();
  });

  it('marks for moderators and readers with a held comment too (their threads are rendered for them alone)', async () => {
    const admin = readerAs(await makeUser(db, { role: 'admin' }), { role: 'admin' });
    await load(admin, T0);
    const a = await postOk(ada, 'For the moderator to see as new', { at: T0 + 2 * MIN });
    expect((await load(admin, T0 + 10 * MIN)).marked).toEqual([a]);
  });

  it('keeps nothing for signed-out readers and marks nothing for them', async () => {
    await postOk(ada, 'Anything', { at: T0 });
    const version = await dataVersion(db);
    expect((await load(SIGNED_OUT, T0 + MIN)).marked).toEqual([]);
    expect(await dataVersion(db)).toBe(version);
  });

  it('writes one row per reader and essay, at most once per change', async () => {
    await load(bob, T0);
    const afterFirst = await dataVersion(db);
    await load(bob, T0 + MIN);
    await load(bob, T0 + 2 * MIN, 2);
    expect(await dataVersion(db)).toBe(afterFirst);
    await postOk(ada, 'A change', { at: T0 + 3 * MIN });
    const afterPost = await dataVersion(db);
    await load(bob, T0 + 5 * MIN);
    const afterVisit = await dataVersion(db);
    expect(afterVisit).not.toBe(afterPost);
    await load(bob, T0 + 6 * MIN);
    expect(await dataVersion(db)).toBe(afterVisit);
    expect(db.$client.prepare('select count(*) from discussion_visits').pluck().get()).toBe(1);
  });

  it('writes the visits of many loads together, later, in one transaction; a deleted account\'s is dropped', async () => {
    const readers = [bob, readerAs(await makeUser(db)), readerAs(await makeUser(db))];
    for (const who of readers) await loadDiscussionMarkup(db, { essay: ESSAY, sort: 'oldest', page: 1, reader: who, now: T0 });
    const count = () => db.$client.prepare('select count(*) from discussion_visits').pluck().get();
    expect(count()).toBe(0);
    // Until written, the process answers from what waits: a reload is the same visit.
    const a = await postOk(ada, 'Soon after', { at: T0 + 2 * MIN });
    const again = await loadDiscussionMarkup(db, { essay: ESSAY, sort: 'oldest', page: 1, reader: bob, now: T0 + 3 * MIN });
    expect(again.newIds).toEqual([a]);
    expect(await deleteAccount(db, readers[2]!.account!.id)).toBe(true);
    flushVisits(db);
    expect(count()).toBe(2);
  });

  it('carries the change log position for the live stream', async () => {
    await postOk(ada, 'One');
    const { data } = await load(SIGNED_OUT, T0);
    expect(data.liveSince).toBe(db.$client.prepare("select seq from sqlite_sequence where name = 'discussion_events'").pluck().get());
  });

  it('goes into the account export and goes with the account', async () => {
    await load(bob, T0);
    expect((await accountData(db, bob.account!.id))!.discussionVisits).toEqual([{ essay: ESSAY.slug, seenAt: T0, newSince: T0 }]);
    expect(await deleteAccount(db, bob.account!.id)).toBe(true);
    expect(db.$client.prepare('select count(*) from discussion_visits').pluck().get()).toBe(0);
  });
});
