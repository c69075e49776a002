// Online backups through SQLite's backup API: safe while the server keeps writing,
// because SQLite copies a consistent snapshot page by page.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from './client.ts';

export function backupFileName(now = new Date()): string {
  return `site-${now.toISOString().replace(/[:.]/g, '-')}.db`;
}

export async function backupDatabase(db: Db, destination: string): Promise<{ path: string; pages: number }> {
  mkdirSync(dirname(destination), { recursive: true });
  const result = await db.$client.backup(destination);
  return { path: destination, pages: result.totalPages };
}

export async function integrityCheck(db: Db): Promise<string> {
  return db.$client.pragma('integrity_check', { simple: true }) as string;
}

export function defaultBackupPath(databasePath: string, now = new Date()): string {
  return join(dirname(databasePath), 'backups', backupFileName(now));
}
