// The latest comments under one essay, as RSS.
import type { APIRoute } from 'astro';
import { findEssay } from '../../../features/discussion/essays.ts';
import { commentFeedResponse } from '../../../features/discussion/feeds.ts';
import { ONLY_GET } from '../../../http/methods.ts';

export const prerender = false;

export const POST = ONLY_GET;

export const GET: APIRoute = async (context) => {
  const essay = await findEssay(context.params.essay);
  if (!essay) return new Response('There is no essay at this address.\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return commentFeedResponse(context, essay);
};
