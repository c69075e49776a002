// Reader poll votes. A voter is a signed-in account (userId) or an anonymous browser (voterKey,
// the SHA-256 of a token in the reader's cookie); each answers each question of a poll once.
import { and, eq, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../client.ts';
import { pollVotes } from '../schema.ts';

export type Voter = { userId: string } | { voterKey: string };

export interface VoteAnswer {
  question: string;
  choice: string;
}

function voterMatches(voter: Voter) {
  return 'userId' in voter ? eq(pollVotes.userId, voter.userId) : eq(pollVotes.voterKey, voter.voterKey);
}

/** The voter's earlier answers to a poll, by question; empty if they have not voted. */
export async function findBallot(db: Db, poll: string, voter: Voter): Promise<Record<string, string>> {
  const rows = db
    .select({ question: pollVotes.question, choice: pollVotes.choice })
    .from(pollVotes)
    .where(and(eq(pollVotes.poll, poll), voterMatches(voter)))
    .all();
  return Object.fromEntries(rows.map((r) => [r.question, r.choice]));
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Records a whole ballot, all answers or none. 'repeat' when this voter has already answered any
 * question of the poll: the earlier vote stands and nothing is written.
 */
export async function recordBallot(db: Db, poll: string, voter: Voter, answers: readonly VoteAnswer[], now = Date.now()): Promise<'recorded' | 'repeat'> {
  try {
    return db.transaction((tx) => {
      const earlier = tx.select({ id: pollVotes.id }).from(pollVotes).where(and(eq(pollVotes.poll, poll), voterMatches(voter))).get();
      if (earlier) return 'repeat';
      for (const answer of answers) {
        tx.insert(pollVotes)
          .values({
            poll,
            question: answer.question,
            choice: answer.choice,
            userId: 'userId' in voter ? voter.userId : null,
            voterKey: 'voterKey' in voter ? voter.voterKey : null,
            createdAt: now,
          })
          .run();
      }
      return 'recorded';
    }, { behavior: 'immediate' });
  } catch (error) {
    // Two submissions racing: the unique index turned the second away and the transaction rolled back.
    if (isUniqueViolation(error)) return 'repeat';
    throw error;
  }
}

/** Votes per question and choice. */
export async function pollTallies(db: Db, poll: string): Promise<{ question: string; choice: string; count: number }[]> {
  return db
    .select({ question: pollVotes.question, choice: pollVotes.choice, count: sql<number>`count(*)` })
    .from(pollVotes)
    .where(eq(pollVotes.poll, poll))
    .groupBy(pollVotes.question, pollVotes.choice)
    .all();
}

/** How the voters who answered both questions combined their answers: counts per (first, second) pair. */
export async function pollPairs(db: Db, poll: string, firstQuestion: string, secondQuestion: string): Promise<{ first: string; second: string; count: number }[]> {
  const a = alias(pollVotes, 'a');
  const b = alias(pollVotes, 'b');
  return db
    .select({ first: a.choice, second: b.choice, count: sql<number>`count(*)` })
    .from(a)
    .innerJoin(b, and(eq(b.poll, a.poll), eq(b.question, secondQuestion), or(eq(b.userId, a.userId), eq(b.voterKey, a.voterKey))))
    .where(and(eq(a.poll, poll), eq(a.question, firstQuestion)))
    .groupBy(a.choice, b.choice)
    .all();
}
