// A response whose body holds a part many responses share (the signed-in discussion island's
// threads, features/discussion/page-markup.ts). The rendering carries only a stand-in for the
// part (SHARED_STAND_IN), and the part goes in here: as one gzip body joined around the part
// compressed once (gzip-join.ts), so that the reader's own few kilobytes are all that is compressed
// per request, or, for a reader who takes no gzip, as the bytes themselves, compressed as they are
// sent (compress-response.ts). Compressing the whole island for each reader was 39% of its time;
// rendering the part itself, Astro copied its 400 KB into each response's chunk (about 0.65 ms of
// a 4.7 ms request, with the copies of the web stream; tests/bench/README.md).
import { randomUUID } from 'node:crypto';
import { addToList, chooseEncoding } from './accept-encoding.ts';
import { joinGzip, type SharedPart } from './gzip-join.ts';

/** A part that responses share: its bytes, and those compressed once (made on first use). */
export interface SharedBody {
  readonly bytes: Buffer;
  part(): SharedPart;
}

/**
 * Where a shared part goes in a rendered body, until joinedResponse puts it there. Random for each
 * process, so no text a reader wrote can stand for it (and all of that is escaped anyway).
 */
export const SHARED_STAND_IN = Buffer.from(`<!--shared part ${randomUUID()}-->`);

/** Where the stand-in lies in one of `chunks`, or null. */
function locate(chunks: readonly Buffer[]): { chunk: number; at: number } | null {
  for (let chunk = 0; chunk < chunks.length; chunk++) {
    const at = chunks[chunk]!.indexOf(SHARED_STAND_IN);
    if (at >= 0) return { chunk, at };
  }
  return null;
}

export async function joinedResponse(request: Request, response: Response, shared: SharedBody): Promise<Response> {
  if (!response.body || response.headers.has('content-encoding')) return response;
  // The body as written, chunk by chunk: the stand-in is found where it lies.
  let chunks: Buffer[] = [];
  for await (const chunk of response.body) chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  let found = locate(chunks);
  // Astro writes a component's bytes into one chunk; should the stand-in ever straddle two, it is still found.
  if (!found && chunks.length > 1) found = locate((chunks = [Buffer.concat(chunks)]));
  const headers = new Headers(response.headers);
  const plain = (body: Buffer) => new Response(body as Uint8Array<ArrayBuffer>, { status: response.status, statusText: response.statusText, headers });
  if (!found) return plain(Buffer.concat(chunks));
  const holding = chunks[found.chunk]!;
  const head = [...chunks.slice(0, found.chunk), holding.subarray(0, found.at)];
  const tail = [holding.subarray(found.at + SHARED_STAND_IN.length), ...chunks.slice(found.chunk + 1)];
  const gzip = request.method === 'GET' && response.status === 200 && chooseEncoding(request.headers.get('accept-encoding'), ['gzip']) === 'gzip';
  if (!gzip) return plain(Buffer.concat([...head, shared.bytes, ...tail]));
  const joined = joinGzip([...head, shared.part(), ...tail]);
  headers.set('content-encoding', 'gzip');
  headers.set('content-length', String(joined.length));
  headers.set('vary', addToList(headers.get('vary'), 'Accept-Encoding'));
  // A strong validator names exact bytes; a compressed copy is only equivalent.
  const etag = headers.get('etag');
  if (etag?.startsWith('"')) headers.set('etag', `W/${etag}`);
  return new Response(joined as Uint8Array<ArrayBuffer>, { status: response.status, headers });
}
