// The latest comments under every essay, as RSS.
import type { APIRoute } from 'astro';
import { commentFeedResponse } from '../../features/discussion/feeds.ts';
import { ONLY_GET } from '../../http/methods.ts';

export const prerender = false;

export const POST = ONLY_GET;

export const GET: APIRoute = (context) => commentFeedResponse(context, null);
