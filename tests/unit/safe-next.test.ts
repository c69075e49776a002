import { describe, expect, it } from 'vitest';
import { safeNext, withNext } from '../../src/lib/safe-next.ts';

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
