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
import type { User } from 'lucia';
import type { Db } from '../../../db/client.ts';
import { findBallot, pollPairs, pollTallies, recordBallot, type Voter } from '../../../db/polls/polls.ts';
import { forgetAttempts, recordAttempt } from '../../../db/accounts/throttle.ts';
import { describeWait } from '../../lib/describe-wait.ts';
import { parseBallot, summarisePoll, type PollDefinition, type PollSummary } from './polls.ts';
import {
  ANONYMOUS_BALLOTS_PER_NETWORK,
  BALLOT_WINDOW_MS,
  VOTER_COOKIE_DAYS,
  ballotLimitKey,
  newVoterCookie,
  verifiedVoterToken,
  voterKey,
} from './voter.ts';

type Reader = Pick<User, 'id' | 'bannedAt'> | null;

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

/** The voter behind a request, or null for an anonymous reader without a cookie this server signed. */
export function currentVoter(ctx: PollContext, user: Reader, cookie: string | undefined): Voter | null {
  if (user) return { userId: user.id };
  const token = verifiedVoterToken(ctx.secret, cookie);
  return token ? { voterKey: voterKey(token) } : null;
}

export interface PollView {
  summary: PollSummary;
  /** This reader's answers by question; empty when they have not voted. */
  ballot: Record<string, string>;
  /** Signed in but suspended: may read the results, may not vote. */
  suspended: boolean;
}

export async function pollView(ctx: PollContext, poll: PollDefinition, user: Reader, cookie: string | undefined): Promise<PollView> {
  const voter = currentVoter(ctx, user, cookie);
  const [first, second] = poll.questions;
  const [tallies, pairs, ballot] = await Promise.all([
    pollTallies(ctx.db, poll.id),
    pollPairs(ctx.db, poll.id, first.id, second.id),
    voter ? findBallot(ctx.db, poll.id, voter) : Promise.resolve({}),
  ]);
  return { summary: summarisePoll(poll, tallies, pairs), ballot, suspended: !!user?.bannedAt };
}

export interface BallotRequest {
  user: Reader;
  /** The poll_voter cookie as sent, if any. */
  cookie: string | undefined;
  /** The client's address, for the per-network limit (only ever stored as a keyed hash). */
  address: string;
  /** This is the ballot sent again after a cookie was handed out: no second cookie, refuse instead. */
  resent: boolean;
  now?: number;
}

export type VoteRefusal = {
  kind: 'refused';
  status: 400 | 403 | 409 | 429;
  message: string;
  /** What the reader chose, to show the form again as they left it. */
  selected: Record<string, string>;
  retryAfterSeconds?: number;
};

export type VoteOutcome =
  | { kind: 'recorded' }
  /** Set this cookie and have the browser send the same ballot again (307). */
  | { kind: 'needs-cookie'; cookie: string }
  | VoteRefusal;

/** What the form sent for each question, kept so a rejected form comes back as the reader left it. */
function selection(poll: PollDefinition, form: FormData): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const q of poll.questions) {
    const value = form.get(q.id);
    if (typeof value === 'string' && q.options.some((o) => o.id === value)) picked[q.id] = value;
  }
  return picked;
}

/** A wait of up to a day in words: minutes below two hours, then hours. */
function waitInWords(seconds: number): string {
  if (seconds < 2 * 60 * 60) return describeWait(seconds);
  return `${Math.ceil(seconds / 3600)} hours`;
}

export async function castVote(ctx: PollContext, poll: PollDefinition, form: FormData, request: BallotRequest): Promise<VoteOutcome> {
  const { user, now = Date.now() } = request;
  const selected = selection(poll, form);
  const refuse = (status: VoteRefusal['status'], message: string, retryAfterSeconds?: number): VoteRefusal => ({ kind: 'refused', status, message, selected, retryAfterSeconds });
  if (user?.bannedAt) return refuse(403, 'Your account is suspended, so it cannot vote. You can still read the results.');
  const ballot = parseBallot(poll, (name) => form.getAll(name));
  if (!ballot.ok) return refuse(400, ballot.message);

  if (user) {
    const result = await recordBallot(ctx.db, poll.id, { userId: user.id }, ballot.answers, now);
    return result === 'recorded' ? { kind: 'recorded' } : refuse(409, 'This account has already voted in this poll. Your first answers stand.');
  }

  const voter = currentVoter(ctx, null, request.cookie);
  if (!voter) return request.resent ? refuse(403, COOKIE_NOT_KEPT) : { kind: 'needs-cookie', cookie: newVoterCookie(ctx.secret) };
  const repeat = () => refuse(409, 'You have already voted in this poll from this browser. Your first answers stand.');
  if (Object.keys(await findBallot(ctx.db, poll.id, voter)).length > 0) return repeat();

  const gate = await recordAttempt(
    ctx.db,
    [{ key: ballotLimitKey(ctx.secret, poll.id, request.address), limit: ANONYMOUS_BALLOTS_PER_NETWORK }],
    BALLOT_WINDOW_MS,
    now,
  );
  if (!gate.allowed) {
    const wait = Math.ceil(gate.retryAfterMs / 1000);
    return refuse(429, `Too many votes in this poll have come from your network today without an account. Please try again in ${waitInWords(wait)}, or sign in to vote.`, wait);
  }
  const result = await recordBallot(ctx.db, poll.id, voter, ballot.answers, now);
  if (result === 'recorded') return { kind: 'recorded' };
  // The same browser voting twice at once: the first ballot stands, and this one uses no allowance.
  await forgetAttempts(ctx.db, gate.attemptIds);
  return repeat();
}
