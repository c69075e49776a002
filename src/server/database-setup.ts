// Prepares the database file before the server starts: creates its folder, applies the
// migrations, and turns the ways that can fail into one-line messages.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { closeDatabase, createDatabase } from '../../db/client.ts';
import { rerenderStaleComments } from '../../db/discussion/comment-lists.ts';
import { refreshNameSkeletons } from '../../db/accounts/users.ts';
import { COMMENT_RENDERER_VERSION, plainTextHtml, tryRenderCommentMarkdown } from '../features/discussion/markdown/markdown.ts';
import { ConfigError } from '../lib/config.ts';

export async function prepareDatabase(path: string): Promise<void> {
  const file = resolve(path);
  try {
    mkdirSync(dirname(file), { recursive: true });
    accessSync(dirname(file), constants.W_OK);
  } catch {
    throw new ConfigError(`DATABASE_PATH "${path}": the folder ${dirname(file)} cannot be created or written to.`);
  }
  try {
    const db = createDatabase(file);
    try {
      // Comments stored by an older Markdown renderer are rendered again from their source, once.
      await rerenderStaleComments(db, COMMENT_RENDERER_VERSION, rerender);
      // Accounts from before the look-alike check (or after its table changed) get their name skeletons.
      await refreshNameSkeletons(db);
    } finally {
      closeDatabase(db);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`DATABASE_PATH "${path}" cannot be opened as a writable SQLite database (${reason}).`);
  }
}

/**
 * The renderer checks the limits before building any tree, so no stored source can exhaust this
 * process; one stored before the limits and now beyond them shows as its plain text, escaped.
 */
export function rerender(source: string): string {
  const rendering = tryRenderCommentMarkdown(source);
  return rendering.ok ? rendering.html : plainTextHtml(source);
}
