// What the discussion's route handlers take and give. A route file (src/pages/comments/…) reads
// the request into a DiscussionRequest and its form through a schema, calls one handler, and
// turns the Answer into the response: a redirect (303), or its view rendered with the status,
// the refusal's message and the reader's own text.
import type { Db } from '../../../../db/client.ts';
import type { Reader } from '../../accounts/reader.ts';
import type { Refusal } from '../../refusal.ts';
import type { PassagesOf } from '../../passages/service.ts';
import type { EssayInfo } from '../types.ts';

export interface DiscussionRequest {
  db: Db;
  reader: Reader;
  /** The discussion script asks for an HTML fragment instead of a whole page. */
  fragment: boolean;
  now: number;
  /** The essay a slug names, from the content collection. */
  essayOf: (slug: string) => Promise<EssayInfo | null>;
  /** This request's path and query: where signing in comes back to. */
  here: string;
  /** An essay's blocks as built (the server's passage index unless a test gives its own). */
  passagesOf?: PassagesOf;
}

export type Answer<V> =
  | { redirect: string }
  | {
      view: V;
      /** Why the request was refused: its status, Retry-After and the message shown in place. */
      refusal?: Refusal | null;
      /** A status other than 200 for an accepted request (201: created). */
      status?: number;
      headers?: Record<string, string>;
    };

export type Shown<V> = Exclude<Answer<V>, { redirect: string }>;
