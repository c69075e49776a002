// Gzip bodies joined from parts compressed apart (src/server/gzip-join.ts), read back by Node's
// own zlib, which checks the CRC-32 and the length in the trailer as any browser's gzip does.
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinGzip, sharedPart } from '../../src/server/gzip-join.ts';

const markup = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => `<li id="comment-${i}"><p>Comment ${i} says ${'something '.repeat(i % 7)}</p></li>`).join(''));

describe('joinGzip', () => {
  it('reads back as the parts in order, shared parts compressed once and reused in many bodies', () => {
    const shared = sharedPart(markup(400));
    for (const reader of ['ada', 'grace', '']) {
      const before = Buffer.from(`<p>Signed in as ${reader}</p><ol>`);
      const after = Buffer.from(`</ol><template data-mine>${reader}</template>`);
      const body = joinGzip([before, shared, after]);
      expect(gunzipSync(body).equals(Buffer.concat([before, shared.bytes, after]))).toBe(true);
    }
  });

  it('compresses a large shared part close to what compressing it alone gives', () => {
    const bytes = markup(2000);
    const alone = joinGzip([bytes]);
    const joined = joinGzip([Buffer.from('<div>'), sharedPart(bytes), Buffer.from('</div>')]);
    expect(joined.length).toBeLessThan(alone.length * 1.02 + 64);
    expect(joined.length).toBeLessThan(bytes.length / 5);
  });

  it('joins any sequence of parts, empty ones too, into a body that reads back exactly', () => {
    const part = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)),
      fc.string({ maxLength: 2000 }).map((s) => sharedPart(Buffer.from(s), 1 + (s.length % 9))),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), (parts) => {
        const expected = Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : p.bytes)));
        expect(gunzipSync(joinGzip(parts)).equals(expected)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('is one gzip member: a reader that stops after the first member (as Chromium does) still gets every part', () => {
    const body = joinGzip([Buffer.from('a'), sharedPart(Buffer.from('b'.repeat(5000))), Buffer.from('c')]);
    // One header, at the start: no second member follows.
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0x1f, 0x8b, 8]));
    expect(body.indexOf(Buffer.from([0x1f, 0x8b, 8]), 1)).toBe(-1);
    expect(gunzipSync(body).toString()).toBe(`a${'b'.repeat(5000)}c`);
  });
});
