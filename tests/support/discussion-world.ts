// The world the discussion's service tests share: a fresh migrated SQLite per test, two readers
// (ada and bob) and three essays, and posting through the service as the routes do. The state is
// exported as live bindings, set before each test of a file that calls useDiscussionWorld().
import { afterEach, beforeEach } from 'vitest';
import { closeDatabase, createDatabase, type Db } from '../../db/client.ts';
import type { Reader } from '../../src/features/accounts/reader.ts';
import { createComment } from '../../src/features/discussion/service.ts';
import type { EssayInfo } from '../../src/features/discussion/types.ts';
import { readerAs } from './discussion-readers.ts';
import { makeUser } from './fixtures.ts';

export const ESSAY: EssayInfo = { slug: 'open-essay', title: 'Open', discussion: 'open' };
export const OTHER: EssayInfo = { slug: 'other-essay', title: 'Other', discussion: 'open' };
export const CLOSED: EssayInfo = { slug: 'closed-essay', title: 'Closed', discussion: 'closed' };
const essays = new Map([ESSAY, OTHER, CLOSED].map((e) => [e.slug, e]));
export const essayOf = async (slug: string) => essays.get(slug) ?? null;

export let db: Db;
export let ada: Reader;
export let bob: Reader;
/** The clock of the test: each post without a time of its own comes a minute and a second later. */
export let now: number;

async function reader(name: string): Promise<Reader> {
  const user = await makeUser(db, { username: name, displayName: name.toUpperCase() });
  return readerAs({ ...user, displayName: name.toUpperCase() });
}

export function useDiscussionWorld(): void {
  beforeEach(async () => {
    db = createDatabase();
    now = 1_800_000_000_000;
    ada = await reader('ada');
    bob = await reader('bob');
  });
  afterEach(() => closeDatabase(db));
}

export const idOf = (who: Reader) => who.account!.id;

export async function post(who: Reader, body: string, options: { essay?: EssayInfo | null; parentId?: number | null; at?: number } = {}) {
  return createComment(db, {
    reader: who,
    essay: options.essay === undefined ? ESSAY : options.essay,
    parentId: options.parentId ?? null,
    body,
    now: options.at ?? (now += 61_000),
  });
}

export async function postOk(who: Reader, body: string, options: { essay?: EssayInfo; parentId?: number | null; at?: number } = {}) {
  const result = await post(who, body, options);
  if (!result.ok) throw new Error(result.message);
  return result.id;
}
