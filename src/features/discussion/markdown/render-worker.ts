// Runs in a worker thread of the comment render pool (render.ts), loaded by Node itself: from
// this file when run from the sources, and bundled with its packages into one file beside the
// server build (worker-bundle.ts) when run from dist/. So it stays plain erasable TypeScript that
// imports only relative .ts files and packages. What the worker renders cannot take the server
// down: the pool caps its heap and time, and a worker that dies is replaced.
import { COMMENT_RENDERER_VERSION, tryRenderCommentMarkdown } from './markdown.ts';

export type WorkerRendering = { ok: true; html: string; rendererVersion: number } | { ok: false; message: string };

export default function renderInWorker(source: string): WorkerRendering {
  const rendering = tryRenderCommentMarkdown(String(source));
  return rendering.ok ? { ...rendering, rendererVersion: COMMENT_RENDERER_VERSION } : rendering;
}
