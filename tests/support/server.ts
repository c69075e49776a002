// Starts the real built server (`node src/cli/start.ts --no-build`) on 127.0.0.1 with its own
// SQLite file, and stops it. The test seeds and inspects that same file through db/.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { closeDatabase, createDatabase, type Db } from '../../db/client.ts';
import { ROOT, tempDir } from './paths.ts';
import { startProcess, stopProcess } from './process.ts';

export interface RunningServer {
  url: string;
  port: number;
  databasePath: string;
  db: Db;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const SERVE_SCRIPT = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.serve as string).split(' ');

/** The V8 flags package.json's serve script gives the server (read from it, so tests run what users run). */
export const SERVER_NODE_FLAGS: string[] = SERVE_SCRIPT.filter((word) => word.startsWith('--') && word !== '--no-build');

/** The environment the serve script gives the server before `node` (malloc's settings). */
export const SERVER_ENV: Record<string, string> = Object.fromEntries(
  SERVE_SCRIPT.slice(0, SERVE_SCRIPT.indexOf('node')).map((word) => word.split('=', 2) as [string, string]),
);

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const databasePath = env.DATABASE_PATH ?? join(tempDir(), 'site.db');
  const db = createDatabase(databasePath);
  // A given PORT lets a restarted server come back where its clients expect it.
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = await startProcess(
    [...SERVER_NODE_FLAGS, join(ROOT, 'src/cli/start.ts'), '--no-build'],
    // One process unless a test asks for workers: `process` is then the server itself.
    { WORKERS: '1', ...SERVER_ENV, ...env, HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: databasePath },
    'is running at',
  ).catch((error: unknown) => {
    closeDatabase(db);
    throw error;
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    databasePath,
    db,
    process: child,
    stop: async () => {
      closeDatabase(db);
      await stopProcess(child);
    },
  };
}
