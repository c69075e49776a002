// What each moderation page shows, read in one call per page: the pages render it, and the
// components get it from them (none of them queries). Reads only; changes go through service.ts.
import { getCollection } from 'astro:content';
import { database } from '../../../db/connection.ts';
import type { Db } from '../../../db/client.ts';
import { allDiscussionStates } from '../../../db/discussion/discussions.ts';
import { appealableComments, appealsOf, countOpenAppeals, openAppeals } from '../../../db/moderation/appeals.ts';
import { blocklistPhrases, listBlocklist } from '../../../db/moderation/blocklist.ts';
import { allLinkedComments, linksOfComment } from '../../../db/moderation/correction-links.ts';
import { commentForFlagging, hasFlagged, openFlagsByComment } from '../../../db/moderation/flags.ts';
import { countLog, listLog, logActorNames } from '../../../db/moderation/moderation-log.ts';
import { authorRecord, authorRecords, commentItems, queueCounts, queueItems, searchUsers, userComments, type QueueItem } from '../../../db/moderation/moderation-queue.ts';
import { readHoldRules } from '../../../db/moderation/moderation-settings.ts';
import { activityByDay, monthlyModeration } from '../../../db/moderation/moderation-stats.ts';
import { countHiddenWithBan } from '../../../db/moderation/user-moderation.ts';
import { detachedAnchors } from '../../../db/moderation/detached-passages.ts';
import { keepAnchorsCurrent, type PassagesOf } from '../passages/service.ts';
import { SIGNED_OUT, type Reader } from '../accounts/reader.ts';
import { mayReadComment } from '../discussion/rules.ts';
import { correctionsById } from '../reading/correction-index.ts';
import { essayTitles } from '../reading/essay-titles.ts';
import { logQueryString, readLogQuery } from './audit-log.ts';
import type { QueueTab } from './rules.ts';

/** Comments as the queue shows them: each with its essay's title and open flags. */
async function inContext(db: Db, items: QueueItem[]) {
  const [titles, flags] = await Promise.all([essayTitles(), openFlagsByComment(db, items.map((i) => i.id))]);
  return items.map((item) => ({ item, essayTitle: titles.get(item.essay) ?? item.essay, flags: flags.get(item.id) ?? [] }));
}
export type ItemInContext = Awaited<ReturnType<typeof inContext>>[number];

export async function queueView(db: Db, tab: QueueTab, page: number, now: number) {
  const [counts, items] = await Promise.all([queueCounts(db, now), queueItems(db, tab, page, now)]);
  return { counts, items: await inContext(db, items) };
}

/** Open appeals, oldest first, each with the comment it is about (in context) and its author's record. */
export async function appealsView(db: Db) {
  const appeals = await openAppeals(db);
  const commentIds = appeals.map((a) => a.commentId).filter((id): id is number => id !== null);
  const [items, authors] = await Promise.all([commentItems(db, commentIds).then((m) => inContext(db, [...m.values()])), authorRecords(db, appeals.map((a) => a.userId))]);
  const byComment = new Map(items.map((i) => [i.item.id, i]));
  return appeals.map((appeal) => ({ appeal, author: authors.get(appeal.userId) ?? null, about: appeal.commentId === null ? undefined : byComment.get(appeal.commentId) }));
}

/**
 * One comment, whatever its state or age, with everything the log says about it, the corrections it
 * is linked to, and its essay's corrections to link it to (each with the comment it is linked to, if any).
 */
export async function commentView(db: Db, id: number | null) {
  if (id === null) return { item: null, history: [], links: [], corrections: [] };
  const [items, history, own, all, byId] = await Promise.all([
    commentItems(db, [id]),
    listLog(db, { target: { type: 'comment', id: String(id) } }),
    linksOfComment(db, id),
    allLinkedComments(db),
    correctionsById(),
  ]);
  const item = items.get(id);
  const linkedTo = new Map(all.map((l) => [l.correctionId, l.commentId]));
  const corrections = item ? [...byId.values()].filter((c) => c.essay.id === item.essay).map((c) => ({ ...c, linkedTo: linkedTo.get(c.id) ?? null })) : [];
  const links = own.map((l) => ({ ...l, correction: byId.get(l.correctionId) ?? null }));
  return { item: item ? (await inContext(db, [item]))[0]! : null, history, links, corrections };
}

/**
 * Correction id → the comment it was raised in, for the corrections log: only links to comments
 * anyone may read (the thread's rule), so the log never points at a held or removed comment.
 */
export async function correctionSources(db: Db): Promise<Map<string, number>> {
  const links = await allLinkedComments(db);
  return new Map(links.filter((l) => mayReadComment(l, SIGNED_OUT)).map((l) => [l.correctionId, l.commentId]));
}

/** One account: its record, every comment of theirs, and what an unban could restore. */
export async function userView(db: Db, userId: string) {
  const user = await authorRecord(db, userId);
  if (!user) return null;
  const [items, restorable] = await Promise.all([userComments(db, user.id).then((c) => inContext(db, c)), user.bannedAt ? countHiddenWithBan(db, user.id) : 0]);
  return { user, items, restorable };
}

export const usersView = (db: Db, query: string) => searchUsers(db, query);

/**
 * Detached passage comments, waiting for review or already left as they are: each comment in
 * context, the quote it was written on, and the blocks of its essay as built now to re-attach it to.
 * Re-anchoring runs first, so the list is the essays as they stand.
 */
export async function detachedView(db: Db, reviewed: boolean, passagesOf: PassagesOf) {
  for (const essay of await getCollection('essays')) keepAnchorsCurrent(db, essay.id, passagesOf(essay.id));
  const rows = await detachedAnchors(db, reviewed);
  const items = await commentItems(db, rows.map((r) => r.commentId));
  const inPlace = new Map((await inContext(db, [...items.values()])).map((i) => [i.item.id, i]));
  return rows.flatMap((row) => {
    const about = inPlace.get(row.commentId);
    return about ? [{ ...row, about, blocks: passagesOf(row.essay)?.blocks ?? [] }] : [];
  });
}

/** Every essay, newest first, with whether its discussion is open and what is pinned. */
export async function essaysView(db: Db) {
  const [essays, states] = await Promise.all([getCollection('essays'), allDiscussionStates(db)]);
  return essays
    .sort((a, b) => b.data.published.valueOf() - a.data.published.valueOf())
    .map((essay) => {
      const state = states.get(essay.id);
      return { slug: essay.id, title: essay.data.title, overridden: state?.closed != null, closed: state?.closed ?? essay.data.discussion === 'closed', pinned: state?.pinnedCommentId ?? null };
    });
}

export async function blocklistView(db: Db) {
  const [rules, entries] = await Promise.all([readHoldRules(db), listBlocklist(db)]);
  return { rules, entries };
}

export const LOG_PAGE = 100;

/** A page of the audit log as its query string filters it. */
export async function logView(db: Db, params: URLSearchParams) {
  const { filter, values } = readLogQuery(params);
  const page = Math.max(0, Math.min(100_000, Number.parseInt(params.get('page') ?? '0', 10) || 0));
  const [entries, total, names] = await Promise.all([listLog(db, { ...filter, limit: LOG_PAGE, offset: page * LOG_PAGE }), countLog(db, filter), logActorNames(db)]);
  return { entries, total, names, values, page, query: logQueryString(values) };
}

/** Every entry the filter keeps (the CSV export). */
export const logExport = (db: Db, params: URLSearchParams) => listLog(db, readLogQuery(params).filter);

export const activityView = (db: Db) => activityByDay(db);

/** The public page: the rules in force, how long the blocklist is (not what it holds), and removals by month. */
export async function publicView(db: Db) {
  const [rules, phrases, months] = await Promise.all([readHoldRules(db), blocklistPhrases(db), monthlyModeration(db)]);
  return { rules, blocklistLength: phrases.length, months };
}

/** The comment a reader would flag, if the thread shows it to them, and whether they may flag it. */
export async function flagView(db: Db, reader: Reader, id: number | null) {
  const comment = id === null ? undefined : await commentForFlagging(db, id);
  // The same rule as the thread: once a comment is held or removed, its flag page no longer shows it.
  if (!comment || !mayReadComment(comment, reader)) return null;
  const readerId = reader.account?.id ?? '';
  return { comment, already: await hasFlagged(db, comment.id, readerId), own: comment.authorId === readerId };
}

/** A reader's appealable comments (with their essays' titles) and past appeals. */
export async function appealView(db: Db, reader: Reader) {
  const userId = reader.account?.id ?? '';
  const [candidates, past, titles] = await Promise.all([appealableComments(db, userId), appealsOf(db, userId), essayTitles()]);
  return { candidates: candidates.map((c) => ({ ...c, essayTitle: titles.get(c.essay) ?? c.essay })), past, mayAppealBan: reader.banned };
}

/** How many things wait for a moderator (held or flagged comments, open appeals); null for anyone else. */
export async function waitingForModerators(reader: Reader, db: Db = database()): Promise<number | null> {
  if (!reader.may.moderate) return null;
  const [counts, appeals] = await Promise.all([queueCounts(db), countOpenAppeals(db)]);
  return counts.held + counts.flagged + appeals;
}
