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

  it('runs one worker per core by default, at most 4, and takes WORKERS from 1 to 16', () => {
    expect(readConfig({}, 1).workers).toBe(1);
    expect(readConfig({}, 2).workers).toBe(2);
    expect(readConfig({}, 4).workers).toBe(4);
    expect(readConfig({}, 64).workers).toBe(4);
    expect(readConfig({ WORKERS: '' }, 3).workers).toBe(3);
    expect(readConfig({ WORKERS: '1' }, 8).workers).toBe(1);
    expect(readConfig({ WORKERS: ' 16 ' }, 2).workers).toBe(16);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ PORT: '0' }, /PORT must be a whole number/],
    [{ SITE_URL: 'example.org' }, /SITE_URL must be an absolute URL/],
    [{ SITE_URL: 'ftp://example.org' }, /SITE_URL must start with http/],
    [{ ASTRO_KEY: 'not a key' }, /ASTRO_KEY is malformed/],
    [{ ASTRO_KEY: Buffer.alloc(10).toString('base64') }, /ASTRO_KEY is malformed/],
    [{ WORKERS: '0' }, /^WORKERS must be a whole number from 1 to 16 \(server processes\), not "0"\.$/],
    [{ WORKERS: 'abc' }, /^WORKERS must be a whole number from 1 to 16 \(server processes\), not "abc"\.$/],
    [{ WORKERS: '999' }, /^WORKERS must be a whole number from 1 to 16 \(server processes\), not "999"\.$/],
    [{ WORKERS: '17' }, /WORKERS must be a whole number from 1 to 16/],
    [{ WORKERS: '2.5' }, /WORKERS must be a whole number from 1 to 16/],
    [{ WORKERS: '-1' }, /WORKERS must be a whole number from 1 to 16/],
  ])('rejects %o with a one-line message', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});
