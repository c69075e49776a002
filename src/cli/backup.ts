// `npm run db:backup [-- --to <file>]`: an online backup of DATABASE_PATH into
// data/backups/site-<timestamp>.db (or the given file), checked before it is reported.
import { existsSync } from 'node:fs';
import { backupDatabase, defaultBackupPath, integrityCheck } from '../../db/backup.ts';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { readConfig } from '../lib/config.ts';

const { databasePath } = readConfig(process.env);
if (!existsSync(databasePath)) {
  console.error(`No database at ${databasePath}: set DATABASE_PATH or start the site once.`);
  process.exit(1);
}
const toIndex = process.argv.indexOf('--to');
const destination = toIndex > 0 && process.argv[toIndex + 1] ? process.argv[toIndex + 1]! : defaultBackupPath(databasePath);
if (existsSync(destination)) {
  console.error(`${destination} exists already: choose another --to.`);
  process.exit(1);
}

const source = openDatabase(databasePath);
const { path, pages } = await backupDatabase(source, destination);
closeDatabase(source);
const copy = openDatabase(path);
const check = await integrityCheck(copy);
closeDatabase(copy);
if (check !== 'ok') {
  console.error(`The backup at ${path} failed its integrity check: ${check}`);
  process.exit(1);
}
console.log(`Backed up ${databasePath} to ${path} (${pages} pages, integrity ok).`);
