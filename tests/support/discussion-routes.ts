// The discussion's HTTP surface as the harnesses (benchmark, load test, security suite) use it:
// where the island of a page lives, and the requests that post a comment and set a like.
// One place, so a route that moves is changed here once.

/** The URL a prerendered essay page asks for one of its server islands (the discussion by default). */
export function islandUrl(pageHtml: string, component = 'Discussion'): string {
  const href = new RegExp(`href="(/_server-islands/${component}\\?[^"]+)"`).exec(pageHtml)?.[1];
  if (!href) throw new Error(`the page has no ${component} island`);
  return href.replaceAll('&amp;', '&');
}

export interface HttpRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}

const form = (origin: string, path: string, fields: Record<string, string>): HttpRequest => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
  body: new URLSearchParams(fields).toString(),
});

export function postRequest(origin: string, input: { essay: string; parentId: number | null; body: string }): HttpRequest {
  return form(origin, '/comments/new', {
    essay: input.essay,
    ...(input.parentId === null ? {} : { parent: String(input.parentId) }),
    body: input.body,
  });
}

export function likeRequest(origin: string, input: { commentId: number; liked: boolean }): HttpRequest {
  return form(origin, `/comments/${input.commentId}/like`, { liked: input.liked ? '1' : '0' });
}
