// A deterministic discussion dataset for the benchmark and the load test: accounts with
// sessions, comments nested as real threads are (most replies answer something recent, a few
// chains run deep), and likes skewed towards a few popular comments. Written with drizzle in
// one transaction of large multi-row inserts, so 100,000 comments take seconds.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../db/client.ts';
import { comments, likes, sessions, users } from '../../db/schema.ts';
import { COMMENT_RENDERER_VERSION, renderCommentMarkdown } from '../../src/features/discussion/markdown/markdown.ts';
import { ROOT } from './paths.ts';
import { seededRandom, type Random } from './random.ts';

export interface DatasetOptions {
  seed?: number;
  accounts?: number;
  comments?: number;
  likes?: number;
  /** The essay that gets exactly hotComments comments and hotLikes likes. */
  hotEssay?: string;
  hotComments?: number;
  hotLikes?: number;
  essays?: string[];
}

export interface Dataset {
  essays: string[];
  hotEssay: string;
  /** One session per account, same order as userIds: cookie values that sign a client in. */
  sessionIds: string[];
  userIds: string[];
  /** Comment ids of the hot essay, with their authors (index into userIds). */
  hotComments: { id: number; author: number }[];
  counts: { accounts: number; comments: number; likes: number; hotComments: number; hotLikes: number };
  seconds: number;
}

export const DEFAULT_HOT_ESSAY = 'wechat-app-for-everything';
const BASE_TIME = Date.UTC(2026, 9, 1);
const DAY = 86_400_000;
const CHUNK = 500;

export function essaySlugs(): string[] {
  return readdirSync(join(ROOT, 'content/essays'))
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => f.replace(/\.mdx$/, ''))
    .sort();
}

const WORDS = (
  'wechat privacy convenience disclosure moments payment group chat contacts data consent tencent ' +
  'platform users trust government mini program qr code scan wallet red envelope friends family ' +
  'work colleagues surveillance value labour exploitation choice default network effect exit cost ' +
  'the a of to and in that is it for on with as but not this what why because still really ' +
  'argue think agree disagree point essay evidence survey paradox rational constraint habit'
).split(' ');
const NAMES = ['Ada', 'Bo', 'Chen', 'Dana', 'Eli', 'Fang', 'Gus', 'Hui', 'Ines', 'Jun', 'Kai', 'Lan', 'Mei', 'Noor', 'Ola', 'Ping'];

function sentence(random: Random): string {
  const n = 6 + random.int(14);
  const words = Array.from({ length: n }, () => random.pick(WORDS));
  const text = words.join(' ');
  return text[0]!.toUpperCase() + text.slice(1) + random.pick(['.', '.', '.', '?', '!']);
}

/** A few hundred distinct bodies, some with Markdown, rendered once by the real renderer. */
function bodyPool(random: Random, size: number): { source: string; html: string }[] {
  return Array.from({ length: size }, (_, i) => {
    const paragraphs = Array.from({ length: 1 + random.int(3) }, () =>
      Array.from({ length: 1 + random.int(3) }, () => sentence(random)).join(' '),
    );
    if (i % 7 === 0) paragraphs[0] = `*${paragraphs[0]}*`;
    if (i % 11 === 0) paragraphs.push(`See https://example.org/notes/${i} for the survey.`);
    if (i % 13 === 0) paragraphs.unshift(`> ${sentence(random)}`);
    const source = paragraphs.join('\n\n');
    return { source, html: renderCommentMarkdown(source) };
  });
}

function insertChunked<T>(rows: T[], insert: (chunk: T[]) => void): void {
  for (let i = 0; i < rows.length; i += CHUNK) insert(rows.slice(i, i + CHUNK));
}

export function seedDataset(db: Db, options: DatasetOptions = {}): Dataset {
  const started = performance.now();
  const random = seededRandom(options.seed ?? 7);
  const accountCount = options.accounts ?? 10_000;
  const commentCount = options.comments ?? 100_000;
  const likeCount = options.likes ?? 200_000;
  const essays = options.essays ?? essaySlugs();
  const hotEssay = options.hotEssay ?? (essays.includes(DEFAULT_HOT_ESSAY) ? DEFAULT_HOT_ESSAY : essays[0]!);
  const hotCommentCount = Math.min(options.hotComments ?? 1_000, commentCount);
  const hotLikeCount = Math.min(options.hotLikes ?? 3_000, likeCount);
  const others = essays.filter((e) => e !== hotEssay);
  const now = Date.now();

  const userIds = Array.from({ length: accountCount }, (_, i) => `seed-user-${String(i).padStart(6, '0')}`);
  const sessionIds = userIds.map((_, i) => `seed${i.toString(36).padStart(4, '0')}${Math.floor(random.next() * 2 ** 52).toString(36)}`);
  const userRows = userIds.map((id, i) => ({
    id,
    username: `reader${i}`,
    usernameKey: `reader${i}`,
    displayName: i % 3 === 0 ? null : `${random.pick(NAMES)} ${String.fromCharCode(65 + (i % 26))}.`,
    passwordHash: 'seeded-account-without-a-password',
    role: 'reader' as const,
    // Trusted: the moderation holds for first comments do not apply to seeded readers.
    trustedAt: BASE_TIME - 200 * DAY,
    createdAt: BASE_TIME - 365 * DAY + i * 1000,
  }));
  const sessionRows = sessionIds.map((id, i) => ({
    id,
    userId: userIds[i]!,
    expiresAt: Math.floor(now / 1000) + 30 * 86_400,
    createdAt: now,
    lastUsedAt: now,
    device: 'Benchmark client',
  }));

  // Comments, essay by essay, in time order; ids are assigned here so replies can point at them.
  const pool = bodyPool(random, 400);
  const plan: [string, number][] = [[hotEssay, hotCommentCount]];
  const rest = commentCount - hotCommentCount;
  others.forEach((essay, i) => plan.push([essay, Math.floor(rest / others.length) + (i < rest % others.length ? 1 : 0)]));
  const commentRows: (typeof comments.$inferInsert)[] = [];
  const authorOf: number[] = [0];
  const essayRanges = new Map<string, [number, number]>();
  let id = 0;
  for (const [essay, n] of plan) {
    const first = id + 1;
    const span = 90 * DAY;
    for (let i = 0; i < n; i++) {
      id++;
      const author = random.skewed(accountCount, 2);
      let parent: (typeof comments.$inferInsert) | undefined;
      if (i > 0 && random.next() >= 0.3) {
        // Most replies answer something recent; some reach back into an old thread.
        const back = random.next() < 0.6 ? 1 + random.int(Math.min(20, i)) : 1 + random.int(i);
        parent = commentRows[id - 1 - back];
      }
      const body = pool[random.int(pool.length)]!;
      commentRows.push({
        id,
        essay,
        parentId: parent ? parent.id! : null,
        rootId: parent ? parent.rootId! : id,
        depth: parent ? parent.depth! + 1 : 0,
        authorId: userIds[author]!,
        bodySource: body.source,
        bodyHtml: body.html,
        rendererVersion: COMMENT_RENDERER_VERSION,
        status: 'published',
        likeCount: 0,
        createdAt: BASE_TIME - span + Math.floor((i * span) / n),
      });
      authorOf.push(author);
    }
    essayRanges.set(essay, [first, id]);
  }

  // Likes: popular comments get most; nobody likes their own comment or likes twice.
  const seen = new Set<number>();
  const likeRows: (typeof likes.$inferInsert)[] = [];
  const addLikes = (from: number, to: number, target: number) => {
    const size = to - from + 1;
    if (size <= 0) return;
    let made = 0;
    for (let guard = 0; made < target && guard < target * 20; guard++) {
      const commentId = from + random.skewed(size, 2);
      const user = random.int(accountCount);
      const key = commentId * 1_000_000 + user;
      if (user === authorOf[commentId] || seen.has(key)) continue;
      seen.add(key);
      likeRows.push({ commentId, userId: userIds[user]!, createdAt: commentRows[commentId - 1]!.createdAt + 60_000 });
      commentRows[commentId - 1]!.likeCount! += 1;
      made++;
    }
  };
  const [hotFirst, hotLast] = essayRanges.get(hotEssay)!;
  addLikes(hotFirst, hotLast, hotLikeCount);
  const otherTarget = likeCount - likeRows.length;
  others.forEach((essay, i) => {
    const [from, to] = essayRanges.get(essay)!;
    addLikes(from, to, Math.floor(otherTarget / others.length) + (i < otherTarget % others.length ? 1 : 0));
  });

  db.transaction((tx) => {
    insertChunked(userRows, (chunk) => tx.insert(users).values(chunk).run());
    insertChunked(sessionRows, (chunk) => tx.insert(sessions).values(chunk).run());
    insertChunked(commentRows, (chunk) => tx.insert(comments).values(chunk).run());
    insertChunked(likeRows, (chunk) => tx.insert(likes).values(chunk).run());
  });
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.exec('ANALYZE');

  return {
    essays,
    hotEssay,
    sessionIds,
    userIds,
    hotComments: commentRows.slice(hotFirst - 1, hotLast).map((c) => ({ id: c.id!, author: authorOf[c.id!]! })),
    counts: {
      accounts: userRows.length,
      comments: commentRows.length,
      likes: likeRows.length,
      hotComments: hotLast - hotFirst + 1,
      hotLikes: likeRows.filter((l) => l.commentId >= hotFirst && l.commentId <= hotLast).length,
    },
    seconds: (performance.now() - started) / 1000,
  };
}
