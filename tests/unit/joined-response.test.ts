// The signed-in island's body joined around the threads compressed once (src/server/joined-response.ts):
// found in the chunks as Astro writes them, and left alone wherever joining does not apply.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sharedPart } from '../../src/server/gzip-join.ts';
import { joinedResponse } from '../../src/server/joined-response.ts';

const threads = Buffer.from(Array.from({ length: 50 }, (_, i) => `<li id="comment-${i}">Comment ${i}</li>`).join(''));
const part = sharedPart(threads);
const before = Buffer.from('<div class="discussion"><p>Signed in as Ada</p><ol class="threads">');
const after = Buffer.from('</ol><template data-mine><li id="comment-3" class="comment-own"></li></template></div>');
const whole = Buffer.concat([before, threads, after]);

/** A response whose body comes in these chunks, as Astro streams a page. */
const streamed = (chunks: Buffer[], init: ResponseInit = {}) =>
  new Response(new ReadableStream({ start: (c) => (chunks.forEach((chunk) => c.enqueue(new Uint8Array(chunk))), c.close()) }), {
    status: 200,
    headers: { 'content-type': 'text/html', etag: 'W/"abc"', vary: 'Cookie' },
    ...init,
  });
const asking = (acceptEncoding: string | null, method = 'GET') => new Request('http://site.test/_server-islands/Discussion', { method, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });

describe('joinedResponse', () => {
  it('joins the body around the shared part wherever a chunk holds it, and reads back as the body', async () => {
    const splits = [[whole], [before, Buffer.concat([threads, after])], [Buffer.concat([before, threads]), after], [before.subarray(0, 5), Buffer.concat([before.subarray(5), threads, after.subarray(0, 7)]), after.subarray(7)]];
    for (const chunks of splits) {
      const joined = await joinedResponse(asking('gzip, deflate, br'), streamed(chunks), () => part);
      expect(joined.headers.get('content-encoding')).toBe('gzip');
      const body = Buffer.from(await joined.arrayBuffer());
      expect(body[9]).toBe(0xff);
      expect(gunzipSync(body).equals(whole)).toBe(true);
      expect(Number(joined.headers.get('content-length'))).toBe(body.length);
      expect(joined.headers.get('vary')).toBe('Cookie, Accept-Encoding');
      expect(joined.headers.get('etag')).toBe('W/"abc"');
    }
  });

  it('marks a strong validator weak: the compressed body is only equivalent', async () => {
    const joined = await joinedResponse(asking('gzip'), streamed([whole], { headers: { etag: '"abc"' } }), () => part);
    expect(joined.headers.get('etag')).toBe('W/"abc"');
  });

  it('leaves the answer as it is for a reader who takes no gzip, for HEAD, and for anything but a plain 200', async () => {
    for (const [request, response] of [
      [asking('br'), streamed([whole])],
      [asking('gzip;q=0, br'), streamed([whole])],
      [asking(null), streamed([whole])],
      [asking('gzip', 'HEAD'), streamed([whole])],
      [asking('gzip'), new Response(null, { status: 304 })],
      [asking('gzip'), streamed([whole], { status: 404 })],
      [asking('gzip'), streamed([whole], { headers: { 'content-encoding': 'br' } })],
    ] as const) {
      expect(await joinedResponse(request, response, () => part)).toBe(response);
    }
  });

  it('sends the body as it was, uncompressed here, when the shared part is not in it whole', async () => {
    // Split across two chunks: not looked for there (Astro writes the part as one piece).
    const split = [Buffer.concat([before, threads.subarray(0, 300)]), Buffer.concat([threads.subarray(300), after])];
    const other = Buffer.from(whole.toString().replace('Comment 7<', 'Comment seven<'));
    for (const chunks of [split, [other]]) {
      const answer = await joinedResponse(asking('gzip'), streamed(chunks), () => part);
      expect(answer.headers.get('content-encoding')).toBeNull();
      expect(Buffer.from(await answer.arrayBuffer()).equals(Buffer.concat(chunks))).toBe(true);
    }
  });
});
