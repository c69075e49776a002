// Runs in a worker thread of the comment render pool (comment-render.ts), loaded by Node itself
// from this file (not from the server bundle), so it must stay plain erasable TypeScript that
// imports only relative .ts files and packages. What the worker renders cannot take the server
// down: the pool caps its heap and time, and a worker that dies is replaced.
import { COMMENT_RENDERER_VERSION, tryRenderCommentMarkdown } from './markdown.ts';

export type WorkerRendering = { ok: true; html: string; rendererVersion: number } | { ok: false; message: string };

export default function renderInWorker(source: string): WorkerRendering {
  const rendering = tryRenderCommentMarkdown(String(source));
  return rendering.ok ? { ...rendering, rendererVersion: COMMENT_RENDERER_VERSION } : rendering;
}
