// The benchmark's two writes, shared by `npm run bench` and `npm run bench:live`: posting a
// comment and toggling a like, each request from the next seeded account.
import type { Dataset } from '../support/dataset.ts';
import { likeRequest, postRequest } from '../support/discussion-routes.ts';
import type { Scenario } from './measure.ts';

type Request = Parameters<NonNullable<Scenario['setup']>>[0];

export function writeScenarios(dataset: Dataset, signedIn: (request: Request) => void, text = 'Benchmark comment') {
  // Posting: a text of its own each time (the same text twice within 30 s would be one comment),
  // alternating top-level comments and replies.
  let posted = 0;
  const posting = (name: string, base: string): Scenario => ({
    name,
    url: base,
    method: 'POST',
    ok: [200, 201, 303],
    setup: (request) => {
      const n = posted++;
      const parent = n % 2 ? dataset.hotComments[n % dataset.hotComments.length]!.id : null;
      Object.assign(request, postRequest(base, { essay: dataset.hotEssay, parentId: parent, body: `${text} ${n}: does the thread keep up?` }));
      signedIn(request);
    },
  });
  // Likes: each account walks the hot comments, setting then clearing its like (a toggle).
  let liked = 0;
  const liking = (name: string, base: string): Scenario => ({
    name,
    url: base,
    method: 'POST',
    ok: [200, 303],
    setup: (request) => {
      const n = liked++;
      const account = Math.floor(n / 2) % dataset.sessionIds.length;
      const target = dataset.hotComments[(Math.floor(n / 2 / dataset.sessionIds.length) + account) % dataset.hotComments.length]!;
      // Never the reader's own comment: that is refused, and refusals are not what we measure.
      const comment = target.author === account ? dataset.hotComments[(target.id + 1) % dataset.hotComments.length]! : target;
      Object.assign(request, likeRequest(base, { commentId: comment.id, liked: n % 2 === 0 }));
      request.headers.cookie = `session=${dataset.sessionIds[account]}`;
    },
  });
  return { posting, liking };
}
