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

export async function joinedResponse(request: Request, response: Response, part: () => SharedPart): Promise<Response> {
  if (request.method !== 'GET' || response.status !== 200 || !response.body || response.headers.has('content-encoding')) return response;
  if (chooseEncoding(request.headers.get('accept-encoding'), ['gzip']) !== 'gzip') return response;
  const body = Buffer.from(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  const shared = part();
  const at = shared.bytes.length < PROBE_BYTES ? -1 : body.indexOf(shared.bytes.subarray(0, PROBE_BYTES));
  const end = at + shared.bytes.length;
  if (at < 0 || end > body.length || !body.subarray(at, end).equals(shared.bytes)) {
    return new Response(body, { status: response.status, headers });
  }
  const joined = joinGzip([body.subarray(0, at), shared, body.subarray(end)]);
  headers.set('content-encoding', 'gzip');
  headers.set('content-length', String(joined.length));
  headers.set('vary', addToList(headers.get('vary'), 'Accept-Encoding'));
  // A strong validator names exact bytes; a compressed copy is only equivalent.
  const etag = headers.get('etag');
  if (etag?.startsWith('"')) headers.set('etag', `W/${etag}`);
  return new Response(joined as Uint8Array<ArrayBuffer>, { status: response.status, headers });
}
