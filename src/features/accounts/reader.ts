// The one reader: who is asking, and what they may do, worked out once per request by the
// middleware (locals.reader) from the session's account. Pages, routes, islands and services
// read this object; none of them copies the account into a type of its own. Pure: no I/O.
import type { User } from './lucia.ts';

/** The signed-in account, as the session carries it. */
export type Account = User;

export interface Reader {
  /** Null when signed out. */
  account: Account | null;
  /** Suspended by a moderator: may read, export and delete their data, appeal, but not take part. */
  banned: boolean;
  may: {
    /** Comment, reply and like (where the discussion is open). */
    takePart: boolean;
    /** Flag others' comments. */
    flag: boolean;
    /** Vote in a poll: anonymous readers too, suspended ones not. */
    vote: boolean;
    /** Moderate: an admin in good standing. */
    moderate: boolean;
  };
}

/** What `account` may do; the one shared SIGNED_OUT when there is none. */
export function readerOf(account: Account | null): Reader {
  return account === null ? SIGNED_OUT : standingOf(account);
}

function standingOf(account: Account | null): Reader {
  const banned = account !== null && account.bannedAt !== null;
  const active = account !== null && !banned;
  return {
    account,
    banned,
    may: { takePart: active, flag: active, vote: !banned, moderate: active && account.role === 'admin' },
  };
}

/**
 * Every signed-out request's reader: one object, not two made per request, since an open live
 * stream keeps its reader for as long as it stays (two more objects a stream for every full garbage
 * collection to mark). Frozen, since every request shares it.
 */
export const SIGNED_OUT: Reader = frozen(standingOf(null));

function frozen(reader: Reader): Reader {
  Object.freeze(reader.may);
  return Object.freeze(reader);
}
