// The latest comments under every essay, as RSS.
import type { APIRoute } from 'astro';
import { commentFeedResponse } from '../../features/discussion/feeds.ts';

export const prerender = false;

export const GET: APIRoute = (context) => commentFeedResponse(context, null);
