// Poll votes on a real migrated SQLite database: the queries, and the voting service over them.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase, type Db } from '../../db/client.ts';
import { findBallot, pollPairs, pollTallies, recordBallot } from '../../db/polls/polls.ts';
import { authAttempts, pollVotes, users } from '../../db/schema.ts';
import { ANONYMOUS_BALLOTS_PER_NETWORK, BALLOT_WINDOW_MS, newVoterCookie, voterKey } from '../../src/features/polls/voter.ts';
import { findPoll } from '../../src/features/polls/polls.ts';
import { castVote, COOKIE_NOT_KEPT, pollView, type BallotRequest, type PollContext } from '../../src/features/polls/service.ts';
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
  const poll = findPoll(POLL)!;
  let ctx: PollContext;
  beforeEach(() => {
    ctx = { db: createDatabase(), secret: randomBytes(32) };
  });
  afterEach(() => closeDatabase(ctx.db));

  const form = (fields: Record<string, string | string[]> = { concern: 'great', behaviour: 'keep' }) => {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(name, v);
    return data;
  };
  const anonymous = (request: Partial<BallotRequest> = {}): BallotRequest => ({ user: null, cookie: undefined, address: '203.0.113.9', resent: false, ...request });
  const rows = () => ctx.db.select().from(pollVotes).all();

  /** A browser that keeps cookies: sends the ballot, takes the cookie it is handed, sends it again. */
  async function voteAsBrowser(address: string, fields?: Record<string, string>, now?: number) {
    const first = await castVote(ctx, poll, form(fields), anonymous({ address, now }));
    if (first.kind !== 'needs-cookie') throw new Error(`expected a cookie, got ${first.kind}`);
    return { cookie: first.cookie, outcome: await castVote(ctx, poll, form(fields), anonymous({ address, cookie: first.cookie, resent: true, now })) };
  }

  it('hands a cookie to a ballot that came without one, and records nothing until it comes back', async () => {
    const outcome = await castVote(ctx, poll, form(), anonymous());
    expect(outcome.kind).toBe('needs-cookie');
    expect(rows()).toEqual([]);
    expect(ctx.db.select().from(authAttempts).all()).toEqual([]);
    const cookie = outcome.kind === 'needs-cookie' ? outcome.cookie : '';
    expect(await castVote(ctx, poll, form(), anonymous({ cookie, resent: true }))).toEqual({ kind: 'recorded' });
    expect(rows().map((r) => [r.question, r.choice, r.userId])).toEqual([
      ['concern', 'great', null],
      ['behaviour', 'keep', null],
    ]);
    expect((await pollView(ctx, poll, null, cookie)).ballot).toEqual({ concern: 'great', behaviour: 'keep' });
  });

  it('refuses a ballot sent back still without a valid cookie, keeping what the reader chose', async () => {
    const forged = [undefined, '', 'x'.repeat(5000), randomBytes(32).toString('base64url'), newVoterCookie(randomBytes(32))];
    for (const cookie of forged) {
      expect(await castVote(ctx, poll, form(), anonymous({ cookie, resent: true }))).toEqual({
        kind: 'refused',
        status: 403,
        message: COOKIE_NOT_KEPT,
        selected: { concern: 'great', behaviour: 'keep' },
        retryAfterSeconds: undefined,
      });
      // Sent the first time, a made-up cookie is replaced by a real one, never counted.
      const first = await castVote(ctx, poll, form(), anonymous({ cookie }));
      expect(first.kind === 'needs-cookie' && first.cookie !== cookie).toBe(true);
    }
    expect(rows()).toEqual([]);
    expect(ctx.db.select().from(authAttempts).all()).toEqual([]);
  });

  it('checks the ballot before anything else: a bad one is refused and hands out no cookie', async () => {
    const bad: Record<string, string | string[]>[] = [{ concern: 'great' }, { concern: 'great', behaviour: 'nonexistent' }, { concern: ['great', 'none'], behaviour: 'keep' }, {}];
    for (const fields of bad) {
      const outcome = await castVote(ctx, poll, form(fields), anonymous());
      expect(outcome).toMatchObject({ kind: 'refused', status: 400 });
    }
    expect(rows()).toEqual([]);
  });

  it('lets one browser vote once: a second ballot is refused and uses none of the network’s allowance', async () => {
    const { cookie, outcome } = await voteAsBrowser('203.0.113.9');
    expect(outcome).toEqual({ kind: 'recorded' });
    for (let i = 0; i < ANONYMOUS_BALLOTS_PER_NETWORK + 2; i++) {
      expect(await castVote(ctx, poll, form({ concern: 'none', behaviour: 'stop' }), anonymous({ cookie }))).toMatchObject({ kind: 'refused', status: 409 });
    }
    expect(rows()).toHaveLength(2);
    expect(ctx.db.select().from(authAttempts).all()).toHaveLength(1);
  });

  it('limits anonymous ballots per network and poll in a day, however many cookies are fetched', async () => {
    const start = Date.now();
    for (let i = 0; i < ANONYMOUS_BALLOTS_PER_NETWORK; i++) {
      expect((await voteAsBrowser('198.51.100.20', undefined, start + i)).outcome).toEqual({ kind: 'recorded' });
    }
    const over = (await voteAsBrowser('198.51.100.20', undefined, start + 60_000)).outcome;
    expect(over).toMatchObject({ kind: 'refused', status: 429, selected: { concern: 'great', behaviour: 'keep' } });
    expect(over.kind === 'refused' && over.message).toMatch(/^Too many votes in this poll have come from your network today .* try again in \d+ hours, or sign in to vote\.$/);
    expect(over.kind === 'refused' && over.retryAfterSeconds).toBe(Math.ceil((BALLOT_WINDOW_MS - 60_000) / 1000));
    // The same network written as IPv6, and another address in one IPv6 /64, share their count.
    expect((await voteAsBrowser('::ffff:198.51.100.20', undefined, start + 60_000)).outcome).toMatchObject({ status: 429 });
    for (let i = 0; i < ANONYMOUS_BALLOTS_PER_NETWORK; i++) await voteAsBrowser(`2001:db8:5:6::${i + 1}`, undefined, start);
    expect((await voteAsBrowser('2001:db8:5:6:ffff::1', undefined, start)).outcome).toMatchObject({ status: 429 });
    expect((await voteAsBrowser('2001:db8:5:7::1', undefined, start)).outcome).toEqual({ kind: 'recorded' });
    // Another network is not held back, and a day later this one may vote again.
    expect((await voteAsBrowser('198.51.100.21', undefined, start)).outcome).toEqual({ kind: 'recorded' });
    expect((await voteAsBrowser('198.51.100.20', undefined, start + BALLOT_WINDOW_MS + 1)).outcome).toEqual({ kind: 'recorded' });
    // Ten from each full network, one from the other /64, one from the other address, one a day later.
    expect(rows()).toHaveLength(2 * (2 * ANONYMOUS_BALLOTS_PER_NETWORK + 3));
    // The limiter keeps keyed hashes only: no address appears in its table.
    expect(JSON.stringify(ctx.db.select().from(authAttempts).all())).not.toMatch(/198\.51|2001:db8/);
  });

  it('counts signed-in votes per account, with no cookie and outside the anonymous limit', async () => {
    for (let i = 0; i < ANONYMOUS_BALLOTS_PER_NETWORK; i++) await voteAsBrowser('192.0.2.1');
    const ada = await makeUser(ctx.db);
    const reader = { id: ada.id, bannedAt: null };
    expect(await castVote(ctx, poll, form(), { user: reader, cookie: undefined, address: '192.0.2.1', resent: false })).toEqual({ kind: 'recorded' });
    expect(await castVote(ctx, poll, form(), { user: reader, cookie: undefined, address: '192.0.2.1', resent: true })).toMatchObject({ kind: 'refused', status: 409 });
    expect(await findBallot(ctx.db, POLL, { userId: ada.id })).toEqual({ concern: 'great', behaviour: 'keep' });
    expect((await pollView(ctx, poll, reader, undefined)).ballot).toEqual({ concern: 'great', behaviour: 'keep' });
    const banned = { id: (await makeUser(ctx.db)).id, bannedAt: Date.now() };
    expect(await castVote(ctx, poll, form(), { user: banned, cookie: undefined, address: '192.0.2.2', resent: false })).toMatchObject({ kind: 'refused', status: 403 });
  });

  it('shows a made-up cookie no ballot, even one whose hash is stored', async () => {
    // A ballot stored under an unsigned token (as before cookies were signed) is not theirs to see.
    const token = randomBytes(32).toString('base64url');
    await recordBallot(ctx.db, POLL, { voterKey: voterKey(token) }, ballot('great', 'keep'));
    expect((await pollView(ctx, poll, null, token)).ballot).toEqual({});
  });
});
