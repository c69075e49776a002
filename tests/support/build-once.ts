// Global setup of the browser tests: build the real site once, with a fixed island key.
// The benchmark and the load test build the same way.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { browserPath } from './browser.ts';
import { ROOT } from './paths.ts';

export const TEST_ASTRO_KEY = 'N0bN2b3aJ0m6x7Q8cYQw3o5XvG0b1Zq7oK2m4t6u8w0=';

export function buildSite(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ASTRO_KEY: TEST_ASTRO_KEY, ASTRO_TELEMETRY_DISABLED: '1', SITE_URL: 'http://localhost:4321' },
  });
  if (result.status !== 0) throw new Error('astro build failed');
}

export default function setup(): void {
  if (!browserPath()) return; // browser.ts has said why, loudly; nothing to build for.
  buildSite();
}
