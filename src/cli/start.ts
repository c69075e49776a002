// `npm start`: check the configuration, prepare the database, build the site, serve it.
// `--no-build` serves the existing build in dist/ (tests and `npm run serve` use it).
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readConfig } from '../lib/config.ts';
import { resolveAstroKey } from '../server/astro-key.ts';
import { listen, stopServer, withRequestGuards, withSecurityHeaders, type Handler } from '../server/http-server.ts';
import { runCli } from './run-cli.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const prepared = spawnSync(process.execPath, [`${root}src/cli/prepare-database.ts`], { stdio: 'inherit' });
  if (prepared.status !== 0) process.exit(prepared.status ?? 1);
  const astroKey = await resolveAstroKey(config.astroKey, config.databasePath);
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

  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  process.env.DATABASE_PATH = config.databasePath;
  process.env.SITE_URL = config.siteUrl.href;
  const entry = pathToFileURL(`${root}dist/server/entry.mjs`).href;
  const { handler } = (await import(entry)) as { handler: Handler };
  const server = await listen(withSecurityHeaders(withRequestGuards(handler)), config.host, config.port);

  const shown = ['127.0.0.1', '0.0.0.0', '::', '::1'].includes(config.host) ? 'localhost' : config.host;
  console.log(`The Convenience Bargain is running at http://${shown}:${config.port}/ (database: ${config.databasePath})`);

  const stop = () => stopServer(server).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

runCli(main);
