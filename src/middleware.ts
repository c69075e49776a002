import { defineMiddleware } from 'astro:middleware';
import { sessionFromCookies } from './auth/index.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  context.locals.user = null;
  context.locals.session = null;
  // Prerendered pages are built once for everybody: they never see a session.
  if (context.isPrerendered) return next();
  const { user, session } = await sessionFromCookies(context.cookies);
  context.locals.user = user;
  context.locals.session = session;
  return next();
});
