// Casting a vote and reading a poll for one request: who the voter is, what they may do, and the
// calls into db/. The route and the server island stay thin and share this.
//
// Who may cast an anonymous ballot. A ballot counts only with a voter cookie this server signed
// (voter.ts), so made-up cookies count for nothing. The cookie is handed out when a
// ballot first arrives without one: the answer is a 307, which makes the browser send the same
// ballot again, now with the cookie; a second arrival still without it is refused, with the form
// as the reader left it. So the poll works without JavaScript, and reading a page sets no cookie
// (handing cookies out on every page or island view would give one to every reader). Fresh
// cookies are free to anyone who asks, so anonymous ballots are also limited per network and
// poll (ANONYMOUS_BALLOTS_PER_NETWORK a day), counted in the sign-in limiter's table under a
// keyed hash. Signed-in readers vote once per account, wherever from.
import type { Db } from '../../../db/client.ts';
import { findBallot, pollPairs, pollTallies, recordBallot, type Voter } from '../../../db/polls/polls.ts';
import { forgetAttempts, recordAttempt } from '../../../db/accounts/throttle.ts';
import { describeWait } from '../../lib/describe-wait.ts';
import type { Reader } from '../accounts/reader.ts';
import { refuse, type Outcome } from '../refusal.ts';
import { findPoll, parseBallot, summarisePoll, type PollDefinition, type PollSummary } from './polls.ts';
import {
  ANONYMOUS_BALLOTS_PER_NETWORK,
  BALLOT_WINDOW_MS,
  VOTER_COOKIE_DAYS,
  ballotLimitKey,
  newVoterCookie,
  verifiedVoterToken,
  voterKey,
} from './voter.ts';

/** The database, and the server's secret that signs voter cookies and keys the limiter. */
export interface PollContext {
  db: Db;
  secret: Buffer;
}

export const COOKIE_NOT_KEPT = 'Your browser did not keep the poll’s cookie, so your vote was not counted: allow cookies for this site, or sign in, to vote.';

/** How the route sets the voter cookie. */
export function voterCookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: VOTER_COOKIE_DAYS * 24 * 60 * 60 } as const;
}

const noSuchPoll = () => refuse('not-found', 'There is no poll at this address.');

/** The voter behind a request, or null for an anonymous reader without a cookie this server signed. */
function currentVoter(ctx: PollContext, reader: Reader, cookie: string | undefined): Voter | null {
  if (reader.account) return { userId: reader.account.id };
  const token = verifiedVoterToken(ctx.secret, cookie);
  return token ? { voterKey: voterKey(token) } : null;
}

export interface PollView {
  poll: PollDefinition;
  summary: PollSummary;
  /** This reader's answers by question; empty when they have not voted. */
  ballot: Record<string, string>;
  voted: boolean;
}

/** The poll as this reader sees it: the results so far, and their own answers if they voted. */
export async function pollView(ctx: PollContext, pollId: string, reader: Reader, cookie: string | undefined): Promise<Outcome<PollView>> {
  const poll = findPoll(pollId);
  if (!poll) return noSuchPoll();
  const voter = currentVoter(ctx, reader, cookie);
  const [first, second] = poll.questions;
  const [tallies, pairs, ballot] = await Promise.all([
    pollTallies(ctx.db, poll.id),
    pollPairs(ctx.db, poll.id, first.id, second.id),
    voter ? findBallot(ctx.db, poll.id, voter) : Promise.resolve({}),
  ]);
  return { ok: true, poll, summary: summarisePoll(poll, tallies, pairs), ballot, voted: Object.keys(ballot).length > 0 };
}

export interface BallotRequest {
  reader: Reader;
  /** The poll_voter cookie as sent, if any. */
  cookie: string | undefined;
  /** The client's address, for the per-network limit (only ever stored as a keyed hash). */
  address: string;
  /** This is the ballot sent again after a cookie was handed out: no second cookie, refuse instead. */
  resent: boolean;
  now?: number;
}

/** Recorded; or, for an anonymous ballot without a voter cookie, set this cookie and have the browser send the same ballot again (307). */
export type VoteOutcome = Outcome<{ kind: 'recorded' } | { kind: 'needs-cookie'; cookie: string }>;

/** A wait of up to a day in words: minutes below two hours, then hours. */
function waitInWords(seconds: number): string {
  if (seconds < 2 * 60 * 60) return describeWait(seconds);
  return `${Math.ceil(seconds / 3600)} hours`;
}

/** Casts a ballot: `sent` holds every value the form sent for each question (schemas.ts). */
export async function castVote(ctx: PollContext, pollId: string, sent: Readonly<Record<string, unknown>>, request: BallotRequest): Promise<VoteOutcome> {
  const { reader, now = Date.now() } = request;
  const poll = findPoll(pollId);
  if (!poll) return noSuchPoll();
  if (!reader.may.vote) return refuse('banned', 'Your account is suspended, so it cannot vote. You can still read the results.');
  const ballot = parseBallot(poll, sent);
  if (!ballot.ok) return ballot;

  if (reader.account) {
    const result = await recordBallot(ctx.db, poll.id, { userId: reader.account.id }, ballot.answers, now);
    return result === 'recorded' ? { ok: true, kind: 'recorded' } : refuse('conflict', 'This account has already voted in this poll. Your first answers stand.');
  }

  const voter = currentVoter(ctx, reader, request.cookie);
  if (!voter) return request.resent ? refuse('forbidden', COOKIE_NOT_KEPT) : { ok: true, kind: 'needs-cookie', cookie: newVoterCookie(ctx.secret) };
  const repeat = () => refuse('conflict', 'You have already voted in this poll from this browser. Your first answers stand.');
  if (Object.keys(await findBallot(ctx.db, poll.id, voter)).length > 0) return repeat();

  const gate = await recordAttempt(
    ctx.db,
    [{ key: ballotLimitKey(ctx.secret, poll.id, request.address), limit: ANONYMOUS_BALLOTS_PER_NETWORK }],
    BALLOT_WINDOW_MS,
    now,
  );
  if (!gate.allowed) {
    const wait = Math.ceil(gate.retryAfterMs / 1000);
    return refuse('rate-limited', `Too many votes in this poll have come from your network today without an account. Please try again in ${waitInWords(wait)}, or sign in to vote.`, {
      retryAfterSeconds: wait,
    });
  }
  const result = await recordBallot(ctx.db, poll.id, voter, ballot.answers, now);
  if (result === 'recorded') return { ok: true, kind: 'recorded' };
  // The same browser voting twice at once: the first ballot stands, and this one uses no allowance.
  await forgetAttempts(ctx.db, gate.attemptIds);
  return repeat();
}
