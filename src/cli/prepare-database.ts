// Run by `npm start` in a child process before the server starts: create and migrate the
// database, re-render comments from an older renderer, and say so if there is no admin yet.
// A separate process because loading drizzle-orm from node_modules costs Node 24 ~240 MB that
// the long-running server, which has it bundled, should not carry.
import { readConfig } from '../lib/config.ts';
import { printNoAdminNotice } from '../server/admin-notice.ts';
import { prepareDatabase } from '../server/database-setup.ts';
import { runCli } from './run-cli.ts';

runCli(async () => {
  const { databasePath } = readConfig(process.env);
  await prepareDatabase(databasePath);
  await printNoAdminNotice(databasePath);
});
