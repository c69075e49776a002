// The signed-in island's body with the threads many readers share put in place of their stand-in
// (src/server/joined-response.ts): joined around the threads compressed once for a reader who takes
// gzip, the bytes themselves for any other, wherever the stand-in lies in the chunks Astro writes.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { sharedPart } from '../../src/server/gzip-join.ts';
import { joinedResponse, SHARED_STAND_IN, type SharedBody } from '../../src/server/joined-response.ts';

const threads = Buffer.from(Array.from({ length: 50 }, (_, i) => `<li id="comment-${i}">Comment ${i}</li>`).join(''));
const shared = (): SharedBody & { part: ReturnType<typeof vi.fn> } => {
  const part = sharedPart(threads);
  return { bytes: threads, part: vi.fn(() => part) };
};
const before = Buffer.from('<div class="discussion"><p>Signed in as Ada</p><ol class="threads">');
const after = Buffer.from('</ol><template data-mine><li id="comment-3" class="comment-own"></li></template></div>');
/** As rendered: the stand-in where the threads go. */
const rendered = Buffer.concat([before, SHARED_STAND_IN, after]);
/** As the reader reads it. */
const whole = Buffer.concat([before, threads, after]);

/** A response whose body comes in these chunks, as Astro streams a page. */
const streamed = (chunks: Buffer[], init: ResponseInit = {}) =>
  new Response(new ReadableStream({ start: (c) => (chunks.forEach((chunk) => c.enqueue(new Uint8Array(chunk))), c.close()) }), {
    status: 200,
    headers: { 'content-type': 'text/html', etag: 'W/"abc"', vary: 'Cookie' },
    ...init,
  });
const asking = (acceptEncoding: string | null, method = 'GET') => new Request('http://site.test/_server-islands/Discussion', { method, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });
const bodyOf = async (response: Response) => Buffer.from(await response.arrayBuffer());

/** The rendered body cut into chunks in several ways, the stand-in whole in one of them or across two. */
const splits = (body: Buffer) => {
  const at = body.indexOf(SHARED_STAND_IN);
  return [[body], [body.subarray(0, at), body.subarray(at)], [body.subarray(0, at + SHARED_STAND_IN.length), body.subarray(at + SHARED_STAND_IN.length)], [body.subarray(0, 5), body.subarray(5, at + 10), body.subarray(at + 10)]];
};

describe('joinedResponse', () => {
  it('joins a gzip body around the shared part wherever the stand-in lies, reading back as the page', async () => {
    for (const chunks of splits(rendered)) {
      const joined = await joinedResponse(asking('gzip, deflate, br'), streamed(chunks), shared());
      expect(joined.headers.get('content-encoding')).toBe('gzip');
      const body = await bodyOf(joined);
      expect(body[9]).toBe(0xff);
      expect(gunzipSync(body).equals(whole)).toBe(true);
      expect(Number(joined.headers.get('content-length'))).toBe(body.length);
      expect(joined.headers.get('vary')).toBe('Cookie, Accept-Encoding');
      expect(joined.headers.get('etag')).toBe('W/"abc"');
    }
  });

  it('marks a strong validator weak: the compressed body is only equivalent', async () => {
    const joined = await joinedResponse(asking('gzip'), streamed([rendered], { headers: { etag: '"abc"' } }), shared());
    expect(joined.headers.get('etag')).toBe('W/"abc"');
  });

  it('puts the bytes themselves in place, uncompressed here, for a reader who takes no gzip, for HEAD and for any other status', async () => {
    for (const [request, status] of [
      [asking('br'), 200],
      [asking('gzip;q=0, br'), 200],
      [asking(null), 200],
      [asking('gzip', 'HEAD'), 200],
      [asking('gzip'), 404],
    ] as const) {
      for (const chunks of splits(rendered)) {
        const part = shared();
        const answer = await joinedResponse(request, streamed(chunks, { status }), part);
        expect(answer.status).toBe(status);
        expect(answer.headers.get('content-encoding')).toBeNull();
        expect((await bodyOf(answer)).equals(whole)).toBe(true);
        // Nothing is compressed for it.
        expect(part.part).not.toHaveBeenCalled();
      }
    }
  });

  it('leaves an answer without a body, or one already encoded, as it is', async () => {
    for (const response of [new Response(null, { status: 304 }), streamed([rendered], { headers: { 'content-encoding': 'br' } })]) {
      expect(await joinedResponse(asking('gzip'), response, shared())).toBe(response);
    }
  });

  it('sends a body without the stand-in as it was, and never takes a look-alike for it', async () => {
    const lookAlike = Buffer.from(SHARED_STAND_IN.toString().replace(/[0-9a-f]{8}-/, '00000000-'));
    for (const body of [whole, Buffer.concat([before, lookAlike, after])]) {
      for (const encoding of ['gzip', 'br']) {
        const answer = await joinedResponse(asking(encoding), streamed([body.subarray(0, 40), body.subarray(40)]), shared());
        expect(answer.headers.get('content-encoding')).toBeNull();
        expect((await bodyOf(answer)).equals(body)).toBe(true);
      }
    }
  });
});
