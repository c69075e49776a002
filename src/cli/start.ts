// `npm start`: check the configuration, prepare the database, build the site, serve it.
// `--no-build` serves the existing build in dist/ (tests and `npm run serve` use it).
// WORKERS=1 serves in this process; more, and this process forks that many server processes on
// the one port and database (src/server/cluster.ts says how they share it).
import { spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadAuthSecret } from '../features/accounts/secret.ts';
import { readConfig, type Config } from '../lib/config.ts';
import { resolveAstroKey } from '../server/astro-key.ts';
import { startWorkers } from '../server/cluster.ts';
import { withDelivery } from '../server/delivery.ts';
import { locateStreamHolder, StreamHolder } from '../server/held-streams.ts';
import { listen, stopServer, withRequestGuards, withSecurityHeaders, type Handler } from '../server/http-server.ts';
import { withPublicOrigin } from '../server/public-origin.ts';
import { runCli } from './run-cli.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** What every request goes through, outermost first, around Astro's handler: the one place to add a wrapper. */
function siteHandler(astro: Handler, config: Config, streams: StreamHolder): Handler {
  return withSecurityHeaders(withRequestGuards(withPublicOrigin(withDelivery(astro, `${root}dist/client`, streams), config.siteUrl)));
}

/** One server process: loads the built site and listens; SIGINT or SIGTERM drains it and exits. */
async function serve(config: Config): Promise<Server> {
  const entry = pathToFileURL(`${root}dist/server/entry.mjs`).href;
  const { handler } = (await import(entry)) as { handler: Handler };
  // Live streams are held by a process of their own, forked on the first (server/held-streams.ts).
  const streams = new StreamHolder(locateStreamHolder(root));
  const server = await listen(siteHandler(handler, config, streams), config.host, config.port);
  // Once: a terminal's Ctrl-C reaches a worker and its primary, which then sends SIGTERM too.
  // The streams end first: the server's close waits for every connection it handed to the holder.
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (streams.stop(), stopServer(server)).then(() => process.exit(0)));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return server;
}

/** Everything that happens once, before any server process listens. */
async function prepare(config: Config): Promise<void> {
  const prepared = spawnSync(process.execPath, [`${root}src/cli/prepare-database.ts`], { stdio: 'inherit' });
  if (prepared.status !== 0) process.exit(prepared.status ?? 1);
  const astroKey = await resolveAstroKey(config.astroKey, config.databasePath);
  // Made here, once: workers that each made their own would hash the sign-in limits differently.
  loadAuthSecret(process.env, config.databasePath);
  // Fail on a busy port now rather than after a build.
  (await listen(() => {}, config.host, config.port)).close();

  if (!process.argv.includes('--no-build')) {
    const built = spawnSync(process.execPath, [`${root}node_modules/astro/bin/astro.mjs`, 'build'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ASTRO_KEY: astroKey, ASTRO_TELEMETRY_DISABLED: '1', SITE_URL: config.siteUrl.href },
    });
    if (built.status !== 0) throw new Error('The build failed; see the messages above.');
  }

  // Read by the built site, in this process and in every worker forked from it.
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  process.env.DATABASE_PATH = config.databasePath;
  process.env.SITE_URL = config.siteUrl.href;
}

async function main(): Promise<void> {
  const config = readConfig(process.env);
  if (cluster.isWorker) {
    await serve(config);
    return;
  }
  await prepare(config);

  let processes = 'one process';
  if (config.workers === 1) {
    await serve(config);
  } else {
    const workers = await startWorkers({ count: config.workers });
    processes = `${config.workers} worker processes`;
    let stopping: Promise<void> | undefined;
    const stop = () => (stopping ??= workers.stop().then(() => process.exit(0)));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }

  const shown = ['127.0.0.1', '0.0.0.0', '::', '::1'].includes(config.host) ? 'localhost' : config.host;
  console.log(`The Convenience Bargain is running at http://${shown}:${config.port}/ (database: ${config.databasePath}; ${processes})`);
}

runCli(main);
