// Casting a vote and reading a poll for one request: who the voter is, what they may do, and the
// calls into db/. The route and the server island stay thin and share this.
import type { AstroCookies } from 'astro';
import type { User } from 'lucia';
import type { Db } from '../../db/client.ts';
import { findBallot, pollPairs, pollTallies, recordBallot, type Voter } from '../../db/polls.ts';
import { parseBallot, summarisePoll, type PollDefinition, type PollSummary } from '../lib/polls.ts';
import { VOTER_COOKIE, VOTER_COOKIE_DAYS, isVoterToken, newVoterToken, voterKey } from '../lib/poll-voter.ts';

type Reader = Pick<User, 'id' | 'bannedAt'> | null;

/** The voter behind a request, or null for an anonymous reader who has never voted here. */
export function currentVoter(user: Reader, cookies: AstroCookies): Voter | null {
  if (user) return { userId: user.id };
  const token = cookies.get(VOTER_COOKIE)?.value;
  return isVoterToken(token) ? { voterKey: voterKey(token) } : null;
}

export interface PollView {
  summary: PollSummary;
  /** This reader's answers by question; empty when they have not voted. */
  ballot: Record<string, string>;
  /** Signed in but suspended: may read the results, may not vote. */
  suspended: boolean;
}

export async function pollView(db: Db, poll: PollDefinition, user: Reader, cookies: AstroCookies): Promise<PollView> {
  const voter = currentVoter(user, cookies);
  const [first, second] = poll.questions;
  const [tallies, pairs, ballot] = await Promise.all([
    pollTallies(db, poll.id),
    pollPairs(db, poll.id, first.id, second.id),
    voter ? findBallot(db, poll.id, voter) : Promise.resolve({}),
  ]);
  return { summary: summarisePoll(poll, tallies, pairs), ballot, suspended: !!user?.bannedAt };
}

export type VoteOutcome =
  | { ok: true }
  | { ok: false; status: 400 | 403 | 409; message: string; selected: Record<string, string> };

/** What the form sent for each question, kept so a rejected form comes back as the reader left it. */
function selection(poll: PollDefinition, form: FormData): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const q of poll.questions) {
    const value = form.get(q.id);
    if (typeof value === 'string' && q.options.some((o) => o.id === value)) picked[q.id] = value;
  }
  return picked;
}

export async function castVote(
  db: Db,
  poll: PollDefinition,
  form: FormData,
  user: Reader,
  cookies: AstroCookies,
  options: { secureCookie: boolean; now?: number },
): Promise<VoteOutcome> {
  const selected = selection(poll, form);
  if (user?.bannedAt) {
    return { ok: false, status: 403, message: 'Your account is suspended, so it cannot vote. You can still read the results.', selected };
  }
  const ballot = parseBallot(poll, (name) => form.get(name));
  if (!ballot.ok) return { ok: false, status: 400, message: ballot.message, selected };

  let voter = currentVoter(user, cookies);
  if (!voter) {
    // First vote from this browser: issue the token now, and only now.
    const token = newVoterToken();
    cookies.set(VOTER_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secureCookie,
      maxAge: VOTER_COOKIE_DAYS * 24 * 60 * 60,
    });
    voter = { voterKey: voterKey(token) };
  }
  const result = await recordBallot(db, poll.id, voter, ballot.answers, options.now);
  if (result === 'repeat') {
    return {
      ok: false,
      status: 409,
      message: user ? 'This account has already voted in this poll. Your first answers stand.' : 'You have already voted in this poll from this browser. Your first answers stand.',
      selected,
    };
  }
  return { ok: true };
}
