import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, readConfig } from '../../src/lib/config.ts';

describe('readConfig', () => {
  it('fills every setting with its documented default', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ databasePath: DEFAULTS.DATABASE_PATH, host: '127.0.0.1', port: 4321, astroKey: null });
    expect(config.siteUrl.href).toBe('http://localhost:4321/');
  });

  it('takes values from the environment', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = readConfig({ DATABASE_PATH: '/tmp/x.db', HOST: '0.0.0.0', PORT: '8080', SITE_URL: 'https://example.org', ASTRO_KEY: key });
    expect(config).toMatchObject({ databasePath: '/tmp/x.db', host: '0.0.0.0', port: 8080, astroKey: key });
    expect(config.siteUrl.protocol).toBe('https:');
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ PORT: '0' }, /PORT must be a whole number/],
    [{ SITE_URL: 'example.org' }, /SITE_URL must be an absolute URL/],
    [{ SITE_URL: 'ftp://example.org' }, /SITE_URL must start with http/],
    [{ ASTRO_KEY: 'not a key' }, /ASTRO_KEY is malformed/],
    [{ ASTRO_KEY: Buffer.alloc(10).toString('base64') }, /ASTRO_KEY is malformed/],
  ])('rejects %o with a one-line message', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});
