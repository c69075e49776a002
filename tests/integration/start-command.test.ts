// The start command turns bad configuration into one clear line and exit code 1.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../support/paths.ts';
import { freePort } from '../support/server.ts';

function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [join(ROOT, 'src/cli/start.ts'), '--no-build'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', DATABASE_PATH: join(tempDir(), 'site.db'), ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr.trim() };
}

let blocker: Server | undefined;
afterEach(() => blocker?.close());

describe('npm start with bad configuration', () => {
  it('names an unwritable DATABASE_PATH', () => {
    // A plain file where the folder should be: no user, root included, can create it.
    const blocked = join(tempDir(), 'a-file');
    writeFileSync(blocked, '');
    const { status, stderr } = start({ DATABASE_PATH: join(blocked, 'site.db') });
    expect(status).toBe(1);
    expect(stderr).toBe(`Configuration error: DATABASE_PATH "${join(blocked, 'site.db')}": the folder ${blocked} cannot be created or written to.`);
  });

  it('names a DATABASE_PATH that is not a database', () => {
    const dir = tempDir();
    const { status, stderr } = start({ DATABASE_PATH: dir });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^Configuration error: DATABASE_PATH .* cannot be opened as a writable SQLite database/);
  });

  it('names a port in use', async () => {
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(port, '127.0.0.1', resolve));
    const { status, stderr } = start({ PORT: String(port) });
    expect(status).toBe(1);
    expect(stderr).toBe(`Configuration error: PORT ${port} on 127.0.0.1 is already in use: stop what is using it or set PORT to a free port.`);
  });

  it('names a WORKERS outside 1 to 16', () => {
    const { status, stderr } = start({ WORKERS: '0' });
    expect(status).toBe(1);
    expect(stderr).toBe('Configuration error: WORKERS must be a whole number from 1 to 16 (server processes), not "0".');
  });

  it('names a malformed ASTRO_KEY', () => {
    const { status, stderr } = start({ ASTRO_KEY: 'abc' });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^Configuration error: ASTRO_KEY is malformed/);
    expect(stderr.split('\n')).toHaveLength(1);
  });
});
