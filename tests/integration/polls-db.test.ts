// Poll votes on a real migrated SQLite database: the queries, and the voting service over them.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase, type Db } from '../../db/client.ts';
import { findBallot, pollPairs, pollTallies, recordBallot } from '../../db/polls/polls.ts';
import { authAttempts, pollVotes, users } from '../../db/schema.ts';
import { ANONYMOUS_BALLOTS_PER_NETWORK, BALLOT_WINDOW_MS, newVoterCookie, voterKey } from '../../src/features/polls/voter.ts';
import { castVote, COOKIE_NOT_KEPT, pollView, type BallotRequest, type PollContext } from '../../src/features/polls/service.ts';
import { SIGNED_OUT, type Reader } from '../../src/features/accounts/reader.ts';
import { readerFor } from '../support/account-reader.ts';
import { makeUser } from '../support/fixtures.ts';

const POLL = 'wechat-paradox';
const ballot = (concern: string, behaviour: string) => [
  { question: 'concern', choice: concern },
  { question: 'behaviour', choice: behaviour },
];

describe('poll votes', () => {
  let db: Db;
  beforeEach(() => {
    db = createDatabase();
  });
  afterEach(() => closeDatabase(db));

  it('records a whole ballot for an account, and turns a second one away without writing', async () => {
    const ada = await makeUser(db);
    expect(await recordBallot(db, POLL, { userId: ada.id }, ballot('great', 'keep'))).toBe('recorded');
    expect(await recordBallot(db, POLL, { userId: ada.id }, ballot('none', 'stop'))).toBe('repeat');
    expect(await findBallot(db, POLL, { userId: ada.id })).toEqual({ concern: 'great', behaviour: 'keep' });
    expect(db.select().from(pollVotes).all()).toHaveLength(2);
  });

  it('keeps anonymous voters apart by their key, and accounts apart from keys', async () => {
    const ada = await makeUser(db);
    expect(await recordBallot(db, POLL, { voterKey: 'a'.repeat(64) }, ballot('great', 'keep'))).toBe('recorded');
    expect(await recordBallot(db, POLL, { voterKey: 'b'.repeat(64) }, ballot('lot', 'stop'))).toBe('recorded');
    expect(await recordBallot(db, POLL, { voterKey: 'a'.repeat(64) }, ballot('lot', 'stop'))).toBe('repeat');
    expect(await recordBallot(db, POLL, { userId: ada.id }, ballot('little', 'less'))).toBe('recorded');
    expect(await findBallot(db, POLL, { voterKey: 'c'.repeat(64) })).toEqual({});
    const rows = db.select().from(pollVotes).where(eq(pollVotes.voterKey, 'a'.repeat(64))).orderBy(pollVotes.id).all();
    expect(rows.map((r) => [r.question, r.choice, r.userId])).toEqual([
      ['concern', 'great', null],
      ['behaviour', 'keep', null],
    ]);
  });

  it('writes nothing when one answer of a ballot cannot be stored', async () => {
    const ada = await makeUser(db);
    // Answering the same question twice in one ballot breaks the unique index on the second row.
    const broken = [
      { question: 'concern', choice: 'great' },
      { question: 'concern', choice: 'none' },
    ];
    expect(await recordBallot(db, POLL, { userId: ada.id }, broken)).toBe('repeat');
    expect(db.select().from(pollVotes).all()).toHaveLength(0);
  });

  it('tallies answers and pairs each voter’s two answers', async () => {
    const [ada, bo] = [await makeUser(db), await makeUser(db)];
    await recordBallot(db, POLL, { userId: ada.id }, ballot('great', 'keep'));
    await recordBallot(db, POLL, { userId: bo.id }, ballot('great', 'stop'));
    await recordBallot(db, POLL, { voterKey: 'k'.repeat(64) }, ballot('great', 'keep'));
    await recordBallot(db, 'another-poll', { voterKey: 'k'.repeat(64) }, ballot('none', 'keep'));
    const tallies = await pollTallies(db, POLL);
    expect(tallies.sort((a, b) => `${a.question}${a.choice}`.localeCompare(`${b.question}${b.choice}`))).toEqual([
      { question: 'behaviour', choice: 'keep', count: 2 },
      { question: 'behaviour', choice: 'stop', count: 1 },
      { question: 'concern', choice: 'great', count: 3 },
    ]);
    const pairs = await pollPairs(db, POLL, 'concern', 'behaviour');
    expect(pairs.sort((a, b) => a.second.localeCompare(b.second))).toEqual([
      { first: 'great', second: 'keep', count: 2 },
      { first: 'great', second: 'stop', count: 1 },
    ]);
  });

  it('deletes an account’s votes with the account', async () => {
    const ada = await makeUser(db);
    await recordBallot(db, POLL, { userId: ada.id }, ballot('great', 'keep'));
    db.delete(users).where(eq(users.id, ada.id)).run();
    expect(db.select().from(pollVotes).all()).toHaveLength(0);
  });
});

describe('casting a vote', () => {
  let ctx: PollContext;
  beforeEach(() => {
    ctx = { db: createDatabase(), secret: randomBytes(32) };
  });
  afterEach(() => closeDatabase(ctx.db));

  /** The ballot as the form's schema reads it: every value sent for each question. */
  const form = (fields: Record<string, string | string[]> = { concern: 'great', behaviour: 'keep' }) =>
    Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, [value].flat()]));
  const anonymous = (request: Partial<BallotRequest> = {}): BallotRequest => ({ reader: SIGNED_OUT, cookie: undefined, address: '203.0.113.9', resent: false, ...request });
  /** The answers the poll shows this reader as theirs. */
  async function ballotSeen(reader: Reader, cookie: string | undefined) {
    const view = await pollView(ctx, POLL, reader, cookie);
    if (!view.ok) throw view;
    return view.ballot;
  }
  const rows = () => ctx.db.select().from(pollVotes).all();

  /** A browser that keeps cookies: sends the ballot, takes the cookie it is handed, sends it again. */
  async function voteAsBrowser(address: string, fields?: Record<string, string>, now?: number) {
    const first = await castVote(ctx, POLL, form(fields), anonymous({ address, now }));
    if (!first.ok || first.kind !== 'needs-cookie') throw new Error(`expected a cookie, got ${first.ok ? first.kind : first.code}`);
    return { cookie: first.cookie, outcome: await castVote(ctx, POLL, form(fields), anonymous({ address, cookie: first.cookie, resent: true, now })) };
  }

  it('hands a cookie to a ballot that came without one, and records nothing until it comes back', async () => {
    const outcome = await castVote(ctx, POLL, form(), anonymous());
    expect(outcome).toMatchObject({ ok: true, kind: 'needs-cookie' });
    expect(rows()).toEqual([]);
    expect(ctx.db.select().from(authAttempts).all()).toEqual([]);
    const cookie = outcome.ok && outcome.kind === 'needs-cookie' ? outcome.cookie : '';
    expect(await castVote(ctx, POLL, form(), anonymous({ cookie, resent: true }))).toEqual({ ok: true, kind: 'recorded' });
    expect(rows().map((r) => [r.question, r.choice, r.userId])).toEqual([
      ['concern', 'great', null],
      ['behaviour', 'keep', null],
    ]);
    expect(await ballotSeen(SIGNED_OUT, cookie)).toEqual({ concern: 'great', behaviour: 'keep' });
  });

  it('refuses a ballot sent back still without a valid cookie, keeping what the reader chose', async () => {
    const forged = [undefined, '', 'x'.repeat(5000), randomBytes(32).toString('base64url'), newVoterCookie(randomBytes(32))];
    for (const cookie of forged) {
      // (The form coming back as the reader left it is the page's part: tests/browser/poll.test.ts.)
      expect(await castVote(ctx, POLL, form(), anonymous({ cookie, resent: true }))).toMatchObject({
        ok: false,
        code: 'forbidden',
        message: COOKIE_NOT_KEPT,
        retryAfterSeconds: undefined,
      });
      // Sent the first time, a made-up cookie is replaced by a real one, never counted.
      const first = await castVote(ctx, POLL, form(), anonymous({ cookie }));
      expect(first.ok && first.kind === 'needs-cookie' && first.cookie !== cookie).toBe(true);
    }
    expect(rows()).toEqual([]);
    expect(ctx.db.select().from(authAttempts).all()).toEqual([]);
  });

  it('checks the ballot before anything else: a bad one is refused and hands out no cookie', async () => {
    const bad: Record<string, string | string[]>[] = [{ concern: 'great' }, { concern: 'great', behaviour: 'nonexistent' }, { concern: ['great', 'none'], behaviour: 'keep' }, {}];
    for (const fields of bad) {
      const outcome = await castVote(ctx, POLL, form(fields), anonymous());
      expect(outcome).toMatchObject({ ok: false, code: 'invalid' });
    }
    expect(rows()).toEqual([]);
  });

  it('lets one browser vote once: a second ballot is refused and uses none of the network’s allowance', async () => {
    const { cookie, outcome } = await voteAsBrowser('203.0.113.9');
    expect(outcome).toEqual({ ok: true, kind: 'recorded' });
    for (let i = 0; i < ANONYMOUS_BALLOTS_PER_NETWORK + 2; i++) {
      expect(await castVote(ctx, POLL, form({ concern: 'none', behaviour: 'stop' }), anonymous({ cookie }))).toMatchObject({ ok: false, code: 'conflict' });
    }
    expect(rows()).toHaveLength(2);
    expect(ctx.db.select().from(authAttempts).all()).toHaveLength(1);
  });

  it('limits anonymous ballots per network and poll in a day, however many cookies are fetched', async () => {
    const start = Date.now();
    for (let i = 0; i < ANONYMOUS_BALLOTS_PER_NETWORK; i++) {
      expect((await voteAsBrowser('198.51.100.20', undefined, start + i)).outcome).toEqual({ ok: true, kind: 'recorded' });
    }
    const over = (await voteAsBrowser('198.51.100.20', undefined, start + 60_000)).outcome;
    expect(over).toMatchObject({ ok: false, code: 'rate-limited' });
    expect(!over.ok && over.message).toMatch(/^Too many votes in this poll have come from your network today .* try again in \d+ hours, or sign in to vote\.$/);
    expect(!over.ok && over.retryAfterSeconds).toBe(Math.ceil((BALLOT_WINDOW_MS - 60_000) / 1000));
    // The same network written as IPv6, and another address in one IPv6 /64, share their count.
    expect((await voteAsBrowser('::ffff:198.51.100.20', undefined, start + 60_000)).outcome).toMatchObject({ code: 'rate-limited' });
    for (let i = 0; i < ANONYMOUS_BALLOTS_PER_NETWORK; i++) await voteAsBrowser(`2001:db8:5:6::${i + 1}`, undefined, start);
    expect((await voteAsBrowser('2001:db8:5:6:ffff::1', undefined, start)).outcome).toMatchObject({ code: 'rate-limited' });
    expect((await voteAsBrowser('2001:db8:5:7::1', undefined, start)).outcome).toEqual({ ok: true, kind: 'recorded' });
    // Another network is not held back, and a day later this one may vote again.
    expect((await voteAsBrowser('198.51.100.21', undefined, start)).outcome).toEqual({ ok: true, kind: 'recorded' });
    expect((await voteAsBrowser('198.51.100.20', undefined, start + BALLOT_WINDOW_MS + 1)).outcome).toEqual({ ok: true, kind: 'recorded' });
    // Ten from each full network, one from the other /64, one from the other address, one a day later.
    expect(rows()).toHaveLength(2 * (2 * ANONYMOUS_BALLOTS_PER_NETWORK + 3));
    // The limiter keeps keyed hashes only: no address appears in its table.
    expect(JSON.stringify(ctx.db.select().from(authAttempts).all())).not.toMatch(/198\.51|2001:db8/);
  });

  it('counts signed-in votes per account, with no cookie and outside the anonymous limit', async () => {
    for (let i = 0; i < ANONYMOUS_BALLOTS_PER_NETWORK; i++) await voteAsBrowser('192.0.2.1');
    const ada = await makeUser(ctx.db);
    const reader = readerFor(ctx.db, ada.id);
    expect(await castVote(ctx, POLL, form(), { reader, cookie: undefined, address: '192.0.2.1', resent: false })).toEqual({ ok: true, kind: 'recorded' });
    expect(await castVote(ctx, POLL, form(), { reader, cookie: undefined, address: '192.0.2.1', resent: true })).toMatchObject({ ok: false, code: 'conflict' });
    expect(await findBallot(ctx.db, POLL, { userId: ada.id })).toEqual({ concern: 'great', behaviour: 'keep' });
    expect(await ballotSeen(reader, undefined)).toEqual({ concern: 'great', behaviour: 'keep' });
    const suspended = (await makeUser(ctx.db)).id;
    ctx.db.update(users).set({ bannedAt: Date.now() }).where(eq(users.id, suspended)).run();
    const banned = readerFor(ctx.db, suspended);
    expect(await castVote(ctx, POLL, form(), { reader: banned, cookie: undefined, address: '192.0.2.2', resent: false })).toMatchObject({ ok: false, code: 'banned' });
  });

  it('shows a made-up cookie no ballot, even one whose hash is stored', async () => {
    // A ballot stored under an unsigned token (as before cookies were signed) is not theirs to see.
    const token = randomBytes(32).toString('base64url');
    await recordBallot(ctx.db, POLL, { voterKey: voterKey(token) }, ballot('great', 'keep'));
    expect(await ballotSeen(SIGNED_OUT, token)).toEqual({});
  });
});
