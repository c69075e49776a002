// Run by the concurrency test as its own process: one admin's action on comments, through its own
// connection to the shared database file. Waits for the go file, then acts (blocking on the lock).
import { existsSync } from 'node:fs';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { moderateComments } from '../../db/moderation/comment-moderation.ts';
import { readerOf } from '../../src/features/accounts/reader.ts';
import { isCommentAction } from '../../src/features/moderation/rules.ts';
import { isReason } from '../../src/features/moderation/reasons.ts';

const [path, adminId, adminName, action, ids, reason, go] = process.argv.slice(2) as [string, string, string, string, string, string, string];
if (!isCommentAction(action)) throw new Error(`not an action: ${action}`);
const db = openDatabase(path);
while (!existsSync(go)) await new Promise((resolve) => setTimeout(resolve, 2));
const admin = readerOf({ id: adminId, username: adminName, displayName: null, role: 'admin', bannedAt: null });
moderateComments(db, admin, ids.split(',').map(Number), action, { reason: isReason(reason) ? reason : null });
closeDatabase(db);
