import { describe, expect, it } from 'vitest';
import { formEncodingProblem } from '../../src/http/form-encoding.ts';

const URLENCODED = 'application/x-www-form-urlencoded';
const bytes = (s: string) => new TextEncoder().encode(s);

describe('form encoding', () => {
  it.each([
    ['plain fields', 'essay=a&body=Hello+world'],
    ['escaped UTF-8', `body=${encodeURIComponent('微信 — “quoted” 😀')}`],
    ['a % that starts no escape', 'body=100%+sure&x=%zz'],
    ['an empty body', ''],
  ])('reads %s', (_, body) => expect(formEncodingProblem(bytes(body), URLENCODED)).toBeNull());

  it('refuses raw bytes that are not UTF-8', () => {
    expect(formEncodingProblem(Uint8Array.from([0x62, 0x3d, 0xc3, 0x28]), URLENCODED)).toMatch(/UTF-8/);
    expect(formEncodingProblem(Uint8Array.from([0xff, 0xfe]), 'multipart/form-data; boundary=x')).toMatch(/UTF-8/);
  });

  it.each(['body=%C3%28', 'body=%FF', 'a=1&body=ok%ED%A0%80', 'body%FF=1'])('refuses the escapes in %s', (body) => {
    expect(formEncodingProblem(bytes(body), URLENCODED)).toMatch(/not valid UTF-8/);
  });

  it('leaves escapes alone in a multipart body, where they are only text', () => {
    expect(formEncodingProblem(bytes('--x\r\nContent-Disposition: form-data; name="body"\r\n\r\n%FF\r\n--x--'), 'multipart/form-data; boundary=x')).toBeNull();
  });
});
