import { describe, expect, it } from 'vitest';
import { addToList, chooseEncoding, isCompressibleType, parseAcceptEncoding } from '../../src/server/accept-encoding.ts';

describe('choosing a content coding from Accept-Encoding', () => {
  it('prefers Brotli, then gzip, when the client takes both', () => {
    expect(chooseEncoding('br, gzip')).toBe('br');
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip, deflate')).toBe('gzip');
    expect(chooseEncoding('GZIP')).toBe('gzip');
    expect(chooseEncoding('x-gzip')).toBe('gzip');
    expect(chooseEncoding('deflate')).toBe('identity');
  });

  it('sends identity when the client says nothing, or nothing usable', () => {
    expect(chooseEncoding(undefined)).toBe('identity');
    expect(chooseEncoding(null)).toBe('identity');
    expect(chooseEncoding('')).toBe('identity');
    expect(chooseEncoding('identity')).toBe('identity');
    expect(chooseEncoding('compress, zstd')).toBe('identity');
  });

  it('honours q-values: the highest weight wins, ties go to the smaller coding', () => {
    expect(chooseEncoding('br;q=0.5, gzip;q=0.8')).toBe('gzip');
    expect(chooseEncoding('br;q=0.8, gzip;q=0.8')).toBe('br');
    expect(chooseEncoding('gzip;q=1.0, br;q=0.999')).toBe('gzip');
    expect(chooseEncoding('br;q=0.5, identity')).toBe('identity');
    expect(chooseEncoding('br ; q=0.7 , gzip; Q=0.2')).toBe('br');
  });

  it('never sends a coding the client weighs q=0', () => {
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0.000, gzip;q=0')).toBe('identity');
    expect(chooseEncoding('*;q=0, gzip;q=0.1')).toBe('gzip');
    expect(chooseEncoding('gzip, br;q=0.1, br;q=0')).toBe('gzip');
  });

  it('reads * as every coding not named', () => {
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('br;q=0, *')).toBe('gzip');
    expect(chooseEncoding('gzip;q=0.5, *;q=0.9')).toBe('br');
  });

  it('falls back to identity when even identity is refused (RFC 9110 allows it)', () => {
    expect(chooseEncoding('identity;q=0')).toBe('identity');
    expect(chooseEncoding('*;q=0')).toBe('identity');
    expect(chooseEncoding('br;q=0, gzip;q=0, identity;q=0')).toBe('identity');
  });

  it('chooses only among the variants there are', () => {
    expect(chooseEncoding('br, gzip', ['gzip'])).toBe('gzip');
    expect(chooseEncoding('br', ['gzip'])).toBe('identity');
    expect(chooseEncoding('br, gzip', [])).toBe('identity');
  });

  it('leaves out entries it cannot read rather than guessing their weight', () => {
    expect(parseAcceptEncoding('br;q=2, gzip;q=abc, deflate;q=0.5, ;q=1, ,')).toEqual(new Map([['deflate', 0.5]]));
    expect(chooseEncoding('br;q=1.5, gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0.1234')).toBe('identity');
  });

  it('reads a very long header in linear time', () => {
    const header = `${'gzip;q=0.5, '.repeat(5_000)}br`;
    const started = performance.now();
    expect(chooseEncoding(header)).toBe('br');
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('what is worth compressing', () => {
  it('takes text, scripts, styles, SVG, JSON and XML feeds', () => {
    for (const type of ['text/html', 'text/html; charset=utf-8', 'TEXT/CSS', 'text/javascript; charset=utf-8', 'application/javascript', 'image/svg+xml', 'application/json', 'application/ld+json', 'application/xml', 'application/rss+xml; charset=utf-8', 'application/atom+xml', 'text/plain', 'application/manifest+json']) {
      expect(isCompressibleType(type), type).toBe(true);
    }
  });

  it('leaves images, binaries, unknown types and live event streams alone', () => {
    for (const type of ['image/png', 'image/jpeg', 'application/octet-stream', 'application/pdf', 'text/event-stream', 'text/event-stream; charset=utf-8', '', null, undefined]) {
      expect(isCompressibleType(type), String(type)).toBe(false);
    }
  });
});

describe('adding to a list header', () => {
  it('adds once, case-insensitively, and leaves * alone', () => {
    expect(addToList(undefined, 'Accept-Encoding')).toBe('Accept-Encoding');
    expect(addToList('Cookie', 'Accept-Encoding')).toBe('Cookie, Accept-Encoding');
    expect(addToList('Cookie, accept-encoding', 'Accept-Encoding')).toBe('Cookie, accept-encoding');
    expect(addToList('*', 'Accept-Encoding')).toBe('*');
  });
});
