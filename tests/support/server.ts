// Starts the real built server (`node src/cli/start.ts --no-build`) on 127.0.0.1 with its own
// SQLite file, and stops it. The test seeds and inspects that same file through db/.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { closeDatabase, createDatabase, type Db } from '../../db/client.ts';
import { ROOT, tempDir } from './paths.ts';

export interface RunningServer {
  url: string;
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

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const databasePath = env.DATABASE_PATH ?? join(tempDir(), 'site.db');
  const db = createDatabase(databasePath);
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'src/cli/start.ts'), '--no-build'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: databasePath, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('is running at')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    databasePath,
    db,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        closeDatabase(db);
        if (child.exitCode !== null) return resolve();
        // A server that does not stop in time is killed, so a test run never hangs on it.
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(killer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
