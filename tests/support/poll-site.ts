// The reader poll's browser tests: the live site, a fresh browser context and an empty ballot box
// for each test, and ballots posted as a browser posts them.
import type { APIResponse, BrowserContext } from 'playwright-core';
import { beforeEach } from 'vitest';
import { authAttempts, pollVotes } from '../../db/schema.ts';
import { useLiveSite, type LiveSite } from './live-site.ts';

export const POLL = 'wechat-paradox';
export const SIGNED_COOKIE = /^[\w-]{43}\.[\w-]{43}$/;

export interface PollSite {
  site: LiveSite;
  /** This test's browser context (a new one for each test). */
  readonly context: BrowserContext;
  votes(): (typeof pollVotes.$inferSelect)[];
  /** Posts a form once, from the site's own origin, following no redirect. */
  postOnce(path: string, form: Record<string, string>, ctx?: BrowserContext): Promise<APIResponse>;
  /**
   * Posts a ballot as a browser would, from the site's own origin: when the answer is a 307 (the
   * voter cookie handed out), the same ballot again, with the cookie the context has kept.
   */
  post(path: string, form: Record<string, string>, ctx?: BrowserContext): Promise<APIResponse>;
  voterCookieOf(ctx: BrowserContext): Promise<{ value: string; httpOnly: boolean; sameSite: string } | undefined>;
}

export function usePollSite(): PollSite {
  const site = useLiveSite();
  let context: BrowserContext;
  beforeEach(async () => {
    await context?.close();
    context = await site.browser.newContext();
    site.server.db.delete(pollVotes).run();
    // Every request here comes from 127.0.0.1: each test starts with that network's allowance whole.
    site.server.db.delete(authAttempts).run();
  });
  const postOnce = (path: string, form: Record<string, string>, ctx = context) =>
    ctx.request.post(new URL(path, site.server.url).href, { form, headers: { Origin: site.server.url }, maxRedirects: 0 });
  return {
    site,
    get context() {
      return context;
    },
    votes: () => site.server.db.select().from(pollVotes).orderBy(pollVotes.id).all(),
    postOnce,
    async post(path, form, ctx = context) {
      const first = await postOnce(path, form, ctx);
      return first.status() === 307 ? postOnce(first.headers().location!, form, ctx) : first;
    },
    voterCookieOf: async (ctx) => (await ctx.cookies()).find((c) => c.name === 'poll_voter'),
  };
}
