// Poll votes on a real migrated SQLite database.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase, type Db } from '../../db/client.ts';
import { findBallot, pollPairs, pollTallies, recordBallot } from '../../db/polls.ts';
import { pollVotes, users } from '../../db/schema.ts';
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
