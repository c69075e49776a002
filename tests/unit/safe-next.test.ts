import { describe, expect, it } from 'vitest';
import { safeNext, withNext } from '../../src/features/accounts/safe-next.ts';

describe('safeNext', () => {
  it.each([
    ['/essays/x/#discussion', '/essays/x/#discussion'],
    ['/essays/x/?sort=new#comment-4', '/essays/x/?sort=new#comment-4'],
    ['/', '/'],
    ['/account', '/account'],
    ['/a/../b', '/b'],
  ])('follows the same-site path %s', (raw, expected) => {
    expect(safeNext(raw)).toBe(expected);
  });

  it.each([
    null,
    undefined,
    '',
    'https://evil.example/',
    'http://evil.example',
    '//evil.example/path',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    '/%0a/x\n',
    'javascript:alert(1)',
    'essays/x',
    ' /essays/x',
    'data:text/html,hi',
    '/' + 'a'.repeat(2001),
  ])('sends %j home', (raw) => {
    expect(safeNext(raw)).toBe('/');
  });

  it('never returns anything but a path on this site', () => {
    for (const raw of ['/@evil.example', '/.evil.example', '/%2F%2Fevil.example', '/x?next=https://evil.example']) {
      const next = safeNext(raw);
      expect(new URL(next, 'https://site.example').origin).toBe('https://site.example');
    }
  });
});

// Finding 4 of the security review: targets that start with one "/" but normalise to "//host",
// and every other spelling a browser could read as another origin.
const HOSTILE_NEXT = [
  '/.//evil.example/phish',
  '/..//evil.example/phish',
  '/%2e%2e//evil.example/phish',
  '/%2E%2E//evil.example',
  '/%2e//evil.example',
  '/.%2e//evil.example',
  '/%2e.//evil.example',
  '/./%2f/evil.example',
  '/a/../..//evil.example',
  '/a/b/../../..//evil.example',
  '/././/evil.example',
  '//evil.example',
  '///evil.example',
  '////evil.example',
  '/\\evil.example',
  '\\/evil.example',
  '\\\\evil.example',
  '/.\\/evil.example',
  '/%5cevil.example',
  '/%5C%5Cevil.example',
  '/%2e%2e%5c%5cevil.example',
  '/%09/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r/evil.example',
  '/.%09//evil.example',
  '/%0a/evil.example',
  '/%2F%2Fevil.example',
  '/%2f/evil.example',
  '/%252F%252Fevil.example',
  '/%25252f%25252fevil.example',
  '%2f%2fevil.example',
  '%2F%2Fevil.example',
  ' //evil.example',
  '\t//evil.example',
  'http://evil.example',
  'https://evil.example/phish',
  'https:evil.example',
  'https:/evil.example',
  'HTTPS://evil.example',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'evil.example',
  '/\u0000//evil.example',
  '/\u00A0//evil.example',
  '/%E3%80%82//evil.example',
  '/%',
  '/%zz//evil.example',
];

describe('safeNext against targets that could leave the site', () => {
  it.each(HOSTILE_NEXT)('turns %j into a path on this site, or home', (raw) => {
    const next = safeNext(raw);
    // One leading slash, never two, never a backslash a browser would read as one.
    expect(next).toMatch(/^\/(?![/\\])/);
    // Read as a browser reads a Location header, from any page of the site or another site.
    for (const base of ['https://site.example/', 'https://site.example/deep/er/page', 'http://127.0.0.1:4321/x']) {
      expect(new URL(next, base).origin).toBe(new URL(base).origin);
    }
    // Decoded again by some later hop, it is still no "//host" or "/\host".
    expect(decodeURIComponent(decodeURIComponent(next))).not.toMatch(/^\/[/\\]|^[^/]/);
  });

  it.each(['/.//evil.example/phish', '/..//evil.example/phish', '/%2e%2e//evil.example/phish', '/a/../..//evil.example'])(
    'no longer answers %j with the protocol-relative //evil.example',
    (raw) => {
      expect(safeNext(raw)).toBe('/');
      expect(safeNext(raw, '/fallback')).toBe('/fallback');
    },
  );

  it('still follows same-site paths that need normalising', () => {
    expect(safeNext('/essays/./x/../y/')).toBe('/essays/y/');
    expect(safeNext('/tags/%E5%BE%AE%E4%BF%A1')).toBe('/tags/%E5%BE%AE%E4%BF%A1');
    expect(safeNext('/discussion/x/?page=2&sort=liked#comment-9')).toBe('/discussion/x/?page=2&sort=liked#comment-9');
    expect(safeNext('/x?next=//evil.example')).toBe('/x?next=//evil.example');
  });
});

describe('withNext', () => {
  it('adds the path as ?next=, encoded', () => {
    expect(withNext('/signin', '/essays/x/#discussion')).toBe('/signin?next=%2Fessays%2Fx%2F%23discussion');
  });

  it('leaves it off for home or an unsafe path', () => {
    expect(withNext('/signin', '/')).toBe('/signin');
    expect(withNext('/signin', '//evil.example')).toBe('/signin');
    expect(withNext('/signin', undefined)).toBe('/signin');
  });
});
