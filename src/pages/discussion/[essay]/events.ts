// The live discussion of one essay as Server-Sent Events (features/discussion/live/): new comments,
// edits, removals and like counts while the page is open, as this reader may see them. Resumes
// after the browser's Last-Event-ID, else after ?since= (the event number the island was rendered at).
import type { APIRoute } from 'astro';
import { database } from '../../../../db/connection.ts';
import { findEssay } from '../../../features/discussion/essays.ts';
import { parseSeq } from '../../../features/discussion/live/delivery-rules.ts';
import { openEventStream } from '../../../features/discussion/live/open-stream.ts';
import { clientAddressOf } from '../../../http/client-address.ts';
import { ONLY_GET } from '../../../http/methods.ts';
import { HAND_OFF_HEADER } from '../../../server/stream-hand-off.ts';

export const prerender = false;

export const POST = ONLY_GET;

const plain = (status: number, message: string) =>
  new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

export const GET: APIRoute = async (context) => {
  const essay = await findEssay(context.params.essay);
  if (!essay) return plain(404, 'There is no essay at this address.');
  const header = context.request.headers.get('last-event-id');
  const query = context.url.searchParams.get('since');
  const since = parseSeq(header) ?? parseSeq(query);
  if (since === null && ((header !== null && header !== '') || query !== null)) return plain(400, 'The event number to resume from must be a whole number.');
  return openEventStream({
    db: database(),
    essay,
    reader: context.locals.reader,
    sessionId: context.locals.session?.id ?? null,
    address: clientAddressOf(context),
    since,
    head: context.request.method === 'HEAD',
    handOff: context.request.headers.get(HAND_OFF_HEADER),
    essayOf: findEssay,
  });
};
