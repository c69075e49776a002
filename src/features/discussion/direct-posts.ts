// The discussion's two busiest posts, a like and a new comment, decided before Astro's pipeline
// (server/direct-posts.ts says why and how). Each goes through what its page goes through: the
// form checks every post gets (http/form-checks.ts), the same-origin rule Astro's checkOrigin
// applies, the session, the page's form schema and the same handler (routes/like-comment.ts,
// routes/new-comment.ts). What this sends is what the page would render: a redirect, or, for the
// script, the like button or the new comment, from the same markup functions its components use.
// Anything else goes on to Astro: unread, when this has done nothing (the page then does it all),
// or with the handler's answer handed to the page, which renders it instead of acting again.
import type { Db } from '../../../db/client.ts';
import { parseFormBytes, parseId } from '../../http/form.ts';
import { isUrlencoded } from '../../http/form-body.ts';
import { formBodyProblem, formHeadProblem } from '../../http/form-checks.ts';
import type { DirectOutcome, DirectPost, DirectPoster, PostHead } from '../../server/direct-posts.ts';
import { cookieValue } from '../../server/shared-cache-guard.ts';
import { readerOf } from '../accounts/reader.ts';
import { sessionWithoutRenewal, type AuthContext } from '../accounts/sessions.ts';
import { commentHtml, likeButtonHtml } from './comment-html.ts';
import { FRAGMENT_HEADER, isFragmentHeader } from './fragment.ts';
import type { Answer, DiscussionRequest } from './routes/answer.ts';
import { postLike, type LikeView } from './routes/like-comment.ts';
import { postNewComment, type NewCommentView } from './routes/new-comment.ts';
import type { EssayInfo } from './types.ts';
import { likeForm, newCommentForm } from './schemas.ts';

// Only addresses Astro routes to these pages the same way: a plain id (Astro would decode an
// escaped one), an optional trailing slash, any query.
const LIKE = /^\/comments\/([1-9]\d{0,15})\/like\/?(?:\?|$)/;
const NEW_COMMENT = /^\/comments\/new\/?(?:\?|$)/;

/**
 * Astro's checkOrigin for a form post: the Origin header must be the origin of the request's own
 * address, as Astro's Node adapter builds it (http or https by the connection, the Host header).
 */
export function sameOrigin(head: PostHead): boolean {
  const { origin, host } = head.headers;
  if (!origin || !host) return false;
  const address = `${head.encrypted ? 'https' : 'http'}://${host}${head.url}`;
  return URL.canParse(address) && new URL(address).origin === origin;
}

/** What the posts are decided with: the server's own (src/middleware.ts), or a test's. */
export interface PostsContext {
  db: Db;
  auth: AuthContext;
  essayOf: (slug: string) => Promise<EssayInfo | null>;
}

// What a page's Content-Security-Policy would list is for a document; these answers are fragments
// the script inserts into one, never shown on their own: nothing in them may run or load.
const FRAGMENT_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** The redirect, or the markup its page renders for a successful answer; null when it needs the page. */
function sentAnswer(answer: Answer<LikeView | NewCommentView>, request: DiscussionRequest): DirectOutcome | null {
  if ('redirect' in answer) return { send: { status: 303, headers: [['location', answer.redirect]], body: null } };
  if (answer.refusal) return null;
  const { view } = answer;
  // As LikeButton.astro and CommentItem.astro render them, with respond()'s marks (http.ts).
  const markup =
    view.kind === 'button'
      ? likeButtonHtml({ commentId: view.commentId, liked: view.liked, likeCount: view.likeCount, canLike: true }).markup
      : view.kind === 'created'
        ? commentHtml(view.node, { essay: view.essay, reader: request.reader, closed: view.closed, now: request.now }).markup
        : null;
  if (markup === null) return null;
  const headers: [string, string][] = [
    ['content-type', 'text/html'],
    ['cache-control', 'private, no-store'],
    ['content-security-policy', FRAGMENT_POLICY],
    ...Object.entries(answer.headers ?? {}),
  ];
  // Astro begins every page it renders, fragments included, with the doctype.
  return { send: { status: answer.status ?? 200, headers, body: Buffer.from(`<!DOCTYPE html>${markup}`) } };
}

/** The discussion's direct posts, over the context `context()` gives when first asked. */
export function discussionPosts(context: () => PostsContext): DirectPoster {
  return {
    claims(head) {
      const { url, headers } = head;
      const type = headers['content-type'] ?? '';
      return (
        (LIKE.test(url) || NEW_COMMENT.test(url)) &&
        // The script and the no-script forms post urlencoded; multipart goes to the pages.
        isUrlencoded(type) &&
        formHeadProblem(type, headers['content-length']) === null &&
        sameOrigin(head) &&
        cookieValue(headers.cookie, context().auth.lucia.sessionCookieName) !== undefined
      );
    },

    async decide(post: DirectPost): Promise<DirectOutcome> {
      const type = post.headers['content-type'] ?? '';
      const { db, auth, essayOf } = context();
      const token = cookieValue(post.headers.cookie, auth.lucia.sessionCookieName);
      if (formBodyProblem(post.body, type) || !token) return { astro: true };
      const signedIn = await sessionWithoutRenewal(auth, token);
      if (!signedIn) return { astro: true };
      const address = new URL(post.url, 'http://site.invalid');
      const request: DiscussionRequest = {
        db,
        reader: readerOf(signedIn.user),
        fragment: isFragmentHeader(post.headers[FRAGMENT_HEADER.toLowerCase()]),
        now: Date.now(),
        essayOf,
        here: address.pathname + address.search,
      };
      const like = LIKE.exec(post.url);
      const answer = like
        ? await postLike(request, parseId(like[1]), await parseFormBytes(post.body, type, likeForm))
        : await postNewComment(request, await parseFormBytes(post.body, type, newCommentForm));
      return sentAnswer(answer, request) ?? { astro: true, handed: answer };
    },
  };
}
