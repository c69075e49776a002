// A response whose body holds a part many responses share (the signed-in discussion island's
// threads, features/discussion/page-markup.ts), sent as one gzip body joined around that part
// compressed once (gzip-join.ts): the reader's own few kilobytes are all that is compressed per
// request. Compressing the whole island for each reader was 39% of its time (tests/bench/README.md).
// Where the reader takes no gzip, or the part is not in the body as it was rendered, the response
// goes on as it is, to be compressed as it is sent (compress-response.ts).
import { addToList, chooseEncoding } from './accept-encoding.ts';
import { joinGzip, type SharedPart } from './gzip-join.ts';

/** How much of the part's start is looked for, before the whole part is compared. */
const PROBE_BYTES = 256;

/** Where `part` lies in one of `chunks` (the whole of it in one chunk, as Astro writes it), or null. */
function locate(chunks: readonly Buffer[], part: Buffer): { chunk: number; at: number } | null {
  if (part.length < PROBE_BYTES) return null;
  const probe = part.subarray(0, PROBE_BYTES);
  for (let chunk = 0; chunk < chunks.length; chunk++) {
    const bytes = chunks[chunk]!;
    const at = bytes.indexOf(probe);
    if (at >= 0 && at + part.length <= bytes.length && bytes.subarray(at, at + part.length).equals(part)) return { chunk, at };
  }
  return null;
}

export async function joinedResponse(request: Request, response: Response, part: () => SharedPart): Promise<Response> {
  if (request.method !== 'GET' || response.status !== 200 || !response.body || response.headers.has('content-encoding')) return response;
  if (chooseEncoding(request.headers.get('accept-encoding'), ['gzip']) !== 'gzip') return response;
  // The body as written, chunk by chunk: the shared part is found where it lies, not copied into one buffer first.
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  const headers = new Headers(response.headers);
  const shared = part();
  const found = locate(chunks, shared.bytes);
  if (!found) return new Response(Buffer.concat(chunks) as Uint8Array<ArrayBuffer>, { status: response.status, headers });
  const holding = chunks[found.chunk]!;
  const joined = joinGzip([...chunks.slice(0, found.chunk), holding.subarray(0, found.at), shared, holding.subarray(found.at + shared.bytes.length), ...chunks.slice(found.chunk + 1)]);
  headers.set('content-encoding', 'gzip');
  headers.set('content-length', String(joined.length));
  headers.set('vary', addToList(headers.get('vary'), 'Accept-Encoding'));
  // A strong validator names exact bytes; a compressed copy is only equivalent.
  const etag = headers.get('etag');
  if (etag?.startsWith('"')) headers.set('etag', `W/${etag}`);
  return new Response(joined as Uint8Array<ArrayBuffer>, { status: response.status, headers });
}
