// Reads the server's configuration from the environment. Every mistake is reported
// as one line naming the variable, so a bad setting never surfaces as a stack trace.
import { availableParallelism } from 'node:os';
import { parseTrustedProxies, type TrustedProxies } from './trusted-proxies.ts';

export interface Config {
  databasePath: string;
  host: string;
  port: number;
  siteUrl: URL;
  astroKey: string | null;
  /** Server processes sharing the port and the database file (src/server/cluster.ts). */
  workers: number;
  /** Proxies whose X-Forwarded-For names the client (src/lib/trusted-proxies.ts); none by default. */
  trustedProxies: TrustedProxies;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULTS = {
  DATABASE_PATH: 'data/site.db',
  HOST: '127.0.0.1',
  PORT: '4321',
  SITE_URL: 'http://localhost:4321',
} as const;

// More processes than this only queue on SQLite's one writer and cost ~100 MB each.
export const MAX_WORKERS = 16;
// The default: one process per core, at most this many (each holds its own caches and renderer).
export const DEFAULT_MAX_WORKERS = 4;

/** `cores` is the machine's (os.availableParallelism()), a parameter so tests can pin it. */
export function readConfig(env: Record<string, string | undefined>, cores: number = availableParallelism()): Config {
  const value = (name: keyof typeof DEFAULTS) => env[name]?.trim() || DEFAULTS[name];
  return {
    databasePath: value('DATABASE_PATH'),
    host: value('HOST'),
    port: parsePort(value('PORT')),
    siteUrl: parseSiteUrl(value('SITE_URL')),
    astroKey: env.ASTRO_KEY?.trim() ? parseAstroKey(env.ASTRO_KEY.trim()) : null,
    workers: env.WORKERS?.trim() ? parseWorkers(env.WORKERS.trim()) : Math.max(1, Math.min(cores, DEFAULT_MAX_WORKERS)),
    trustedProxies: readTrustedProxies(env.TRUSTED_PROXIES ?? ''),
  };
}

/** TRUSTED_PROXIES, read by `npm start` to fail early and by each server process (src/http/client-address.ts). */
export function readTrustedProxies(raw: string): TrustedProxies {
  const parsed = parseTrustedProxies(raw);
  if ('problem' in parsed) throw new ConfigError(parsed.problem);
  return parsed.trusted;
}

function parseWorkers(raw: string): number {
  const workers = Number(raw);
  if (!/^\d+$/.test(raw) || workers < 1 || workers > MAX_WORKERS) {
    throw new ConfigError(`WORKERS must be a whole number from 1 to ${MAX_WORKERS} (server processes), not "${raw}".`);
  }
  return workers;
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 1 to 65535, not "${raw}".`);
  }
  return port;
}

function parseSiteUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`SITE_URL must be an absolute URL such as https://example.org, not "${raw}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`SITE_URL must start with http:// or https://, not "${url.protocol}".`);
  }
  return url;
}

/** ASTRO_KEY is what `astro create-key` prints: a base64-encoded AES key of 128, 192 or 256 bits. */
export function parseAstroKey(raw: string): string {
  const bytes = /^[\d+/a-z]+={0,2}$/i.test(raw) && raw.length % 4 === 0 ? Buffer.from(raw, 'base64') : null;
  if (!bytes || ![16, 24, 32].includes(bytes.length)) {
    throw new ConfigError('ASTRO_KEY is malformed: use the value printed by `npx astro create-key` (base64, 32 bytes).');
  }
  return raw;
}
