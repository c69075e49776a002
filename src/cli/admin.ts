// `npm run admin -- <command>`: manage the site's admins from the machine that runs it.
//   create <username> [--password-stdin]   a new admin account (password prompted, or read from stdin)
//   promote <username> | demote <username> make an existing account an admin, or a reader again
//   list                                   the admins
// Uses DATABASE_PATH like `npm start`, migrating the file first. Every change is in the audit log.
import { randomUUID } from 'node:crypto';
import { closeDatabase, openDatabase, type Db } from '../../db/client.ts';
import { listAdmins } from '../../db/moderation/user-moderation.ts';
import { hashPassword } from '../features/accounts/password.ts';
import { DEFAULTS, ConfigError } from '../lib/config.ts';
import { checkAdminPassword, checkAdminUsername } from '../features/moderation/admin-account.ts';
import { changeRole, createAdminAccount } from '../features/moderation/service.ts';
import { refuse, Refusal } from '../features/refusal.ts';
import { prepareDatabase } from '../server/database-setup.ts';
import { readHiddenLine, readStdin } from './terminal-input.ts';

const USAGE = `Usage: npm run admin -- <command>
  create <username> [--password-stdin]   create an admin account; the password is asked for,
                                         or read from standard input with --password-stdin
  promote <username>                     make an existing account an admin
  demote <username>                      make an admin a reader again (not the last admin)
  list                                   list the admins`;

class UsageError extends Error {}

async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) return (await readStdin()).replace(/\r?\n$/, '');
  if (!process.stdin.isTTY) throw new UsageError('No terminal to ask for a password on: pipe it in with --password-stdin.');
  const first = await readHiddenLine('Password for the new admin: ');
  const second = await readHiddenLine('The same password again: ');
  if (first !== second) throw refuse('invalid', 'The two passwords differ; nothing was created.');
  return first;
}

async function create(db: Db, args: string[]): Promise<string> {
  const fromStdin = args.includes('--password-stdin');
  const [raw, ...extra] = args.filter((a) => a !== '--password-stdin');
  if (!raw || extra.length) throw new UsageError('create takes one username.');
  const username = checkAdminUsername(raw);
  if (!username.ok) throw refuse('invalid', username.message);
  const password = checkAdminPassword(await readPassword(fromStdin), username.value);
  if (!password.ok) throw refuse('invalid', password.message);
  const created = createAdminAccount(db, { id: randomUUID(), username: username.value, passwordHash: await hashPassword(password.value) });
  if (!created.ok) throw created;
  return `Created the admin account "${username.value}". Sign in at /signin, then open /admin.`;
}

async function roleCommand(db: Db, args: string[], role: 'admin' | 'reader'): Promise<string> {
  if (args.length !== 1) throw new UsageError(`${role === 'admin' ? 'promote' : 'demote'} takes one username.`);
  const changed = changeRole(db, args[0]!, role);
  if (!changed.ok) throw changed;
  return `${args[0]} is now ${role === 'admin' ? 'an admin' : 'a reader'}.`;
}

async function list(db: Db, args: string[]): Promise<string> {
  if (args.length) throw new UsageError('list takes no arguments.');
  const admins = await listAdmins(db);
  if (!admins.length) return 'No admins yet: create one with `npm run admin -- create <username>`.';
  return admins
    .map((a) => `${a.username}\tsince ${new Date(a.createdAt).toISOString().slice(0, 10)}${a.bannedAt ? '\t(banned)' : ''}`)
    .join('\n');
}

const COMMANDS: Record<string, (db: Db, args: string[]) => Promise<string>> = {
  create,
  promote: (db, args) => roleCommand(db, args, 'admin'),
  demote: (db, args) => roleCommand(db, args, 'reader'),
  list,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    console.error(command && command !== '--help' ? `Unknown command "${command}".\n${USAGE}` : USAGE);
    return command === '--help' ? 0 : 2;
  }
  const path = process.env.DATABASE_PATH?.trim() || DEFAULTS.DATABASE_PATH;
  prepareDatabase(path);
  const db = openDatabase(path);
  try {
    console.log(await run(db, args));
    return 0;
  } finally {
    closeDatabase(db);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof Refusal || error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    console.error(error);
    process.exit(1);
  },
);
