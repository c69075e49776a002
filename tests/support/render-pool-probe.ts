// Run as its own process with the server's V8 flags (tests/unit/comment-render.test.ts): makes a
// render pool the way the server does and prints what its worker's heap limit is, and what this
// thread's is, as one JSON line.
import v8 from 'node:v8';
import { join } from 'node:path';
import { createCommentRenderer } from '../../src/lib/comment-render.ts';
import { ROOT } from './paths.ts';

const renderer = createCommentRenderer({ workerFile: join(ROOT, 'tests/support/render-worker-fixture.ts') });
const probe = await renderer.render('heap-limit');
const hog = await renderer.render('hog');
const after = await renderer.render('still there');
await renderer.close();
console.log(JSON.stringify({ worker: probe.ok ? Number(probe.html) : null, server: v8.getHeapStatistics().heap_size_limit, hog, after }));
