// Debian's nginx in front of a test server, with the production configuration the README gives
// (src/server/nginx/convenience-bargain.conf), its placeholders filled in. nginx runs as the
// test's own process (never the system service) on 127.0.0.1, with everything under a temporary
// folder. Where no nginx is installed the tests that need it are skipped with a loud message,
// unless REQUIRE_NGINX=1 (set by .ci/run) makes that a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ROOT, tempDir } from './paths.ts';
import { stopProcess } from './process.ts';
import { freePort } from './server.ts';

export const NGINX = '/usr/sbin/nginx';
export const NGINX_SITE_CONFIG = join(ROOT, 'src/server/nginx/convenience-bargain.conf');

let warned = false;

export function nginxPath(): string | null {
  if (existsSync(NGINX)) return NGINX;
  const message = `No nginx at ${NGINX}: install it with \`apt-get install -y nginx\`.`;
  if (process.env.REQUIRE_NGINX === '1') throw new Error(`${message} REQUIRE_NGINX=1, so this is a failure.`);
  if (!warned) console.warn(`\n*** NGINX TESTS SKIPPED *** ${message}\n`);
  warned = true;
  return null;
}

export interface RunningNginx {
  url: string;
  /** What nginx wrote to its error log so far. */
  errors(): string;
  stop(): Promise<void>;
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > until) reject(new Error(`nginx did not listen on ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

export interface NginxOptions {
  /** Rewrites the site's configuration after its placeholders are filled (a test lowering a limit). */
  edit?: (site: string) => string;
}

/** Starts nginx with the site's configuration in front of `upstreamPort`. */
export async function startNginx(upstreamPort: number, options: NginxOptions = {}): Promise<RunningNginx> {
  const binary = nginxPath();
  if (!binary) throw new Error('startNginx() called without nginx');
  const dir = tempDir('tcb-nginx-');
  // A root master runs its workers as nobody: they must reach the folder.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const site = readFileSync(NGINX_SITE_CONFIG, 'utf8')
    .replaceAll('{{LISTEN}}', `127.0.0.1:${port}`)
    .replaceAll('{{SERVER_NAME}}', 'localhost')
    .replaceAll('{{UPSTREAM}}', `127.0.0.1:${upstreamPort}`)
    .replaceAll('{{CACHE_PATH}}', join(dir, 'cache'));
  if (/\{\{\w+\}\}/.test(site)) throw new Error('the nginx configuration has a placeholder this helper does not fill');
  writeFileSync(join(dir, 'site.conf'), options.edit ? options.edit(site) : site);
  const errorLog = join(dir, 'error.log');
  // The smallest main configuration around the site's: every path in the temporary folder.
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'worker_processes 1;',
      `error_log ${errorLog} warn;`,
      'events { worker_connections 256; }',
      'http {',
      `  access_log ${join(dir, 'access.log')};`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(dir, `${kind}_temp`)};`),
      `  include ${join(dir, 'site.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(binary, ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', errorLog, '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`nginx exited with ${code}:\n${output}`))));
  try {
    await Promise.race([waitForPort(port, 10_000), exited]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  exited.catch(() => {});
  const errors = () => (existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '') + output;
  // SIGQUIT: nginx's graceful stop; stopProcess kills it if it lingers.
  return { url: `http://127.0.0.1:${port}`, errors, stop: () => stopProcess(child, 'SIGQUIT') };
}
