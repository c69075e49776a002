// Run as its own process with the server's V8 flags (tests/unit/comment-render.test.ts).
// `heap`: makes a render pool the way the server does and prints its worker's heap limit, this
//   thread's, and what a worker that runs out of memory and the one after it answer, as JSON.
// `leave-open`: renders one comment through the shared pool and never closes it: the process
//   must still end by itself, as the server's does when it stops.
import v8 from 'node:v8';
import { join } from 'node:path';
import { createCommentRenderer, renderComment } from '../../src/features/discussion/markdown/render.ts';
import { ROOT } from './paths.ts';

// A refusal is an Error, whose message JSON leaves out: printed as plain fields.
const plain = (outcome: Awaited<ReturnType<typeof renderComment>>) => (outcome.ok ? outcome : { ok: false, code: outcome.code, message: outcome.message });

if (process.argv[2] === 'leave-open') {
  console.log(JSON.stringify(plain(await renderComment('left *open*'))));
} else {
  const renderer = createCommentRenderer({ workerFile: join(ROOT, 'tests/support/render-worker-fixture.ts') });
  const probe = await renderer.render('heap-limit');
  const hog = await renderer.render('hog');
  const after = await renderer.render('still there');
  await renderer.close();
  console.log(JSON.stringify({ worker: probe.ok ? Number(probe.html) : null, server: v8.getHeapStatistics().heap_size_limit, hog: plain(hog), after: plain(after) }));
}
