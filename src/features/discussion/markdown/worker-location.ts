// Where the comment renderer's worker module is, for the pool (render.ts) and for the build that
// bundles it (worker-bundle.ts).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The worker's source, which Node runs directly (type stripping) from the sources. */
export const WORKER_FILE = 'render-worker.ts';
/** The worker bundled into one file beside the server build (dist/server/) by worker-bundle.ts. */
export const BUNDLED_WORKER_FILE = 'render-worker.mjs';
const WORKER_DIR = join('src', 'features', 'discussion', 'markdown');

/**
 * Where the worker module is. The server runs from a bundle in dist/server/chunks/: the search
 * walks up and finds the worker the same build bundled, in dist/server/ (or, from a build older
 * than the bundling, src/features/discussion/markdown/ in the checkout). From the sources (tests,
 * astro dev) it is the file next to this one.
 */
export function locateRenderWorker(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    for (const candidate of [join(dir, BUNDLED_WORKER_FILE), join(dir, WORKER_FILE), join(dir, WORKER_DIR, WORKER_FILE)]) {
      if (existsSync(candidate)) return candidate;
    }
    if (dirname(dir) === dir) throw new Error(`The comment renderer's worker (${join(WORKER_DIR, WORKER_FILE)}) was not found above ${from}.`);
  }
}

/** The worker's source in the checkout `root`. */
export const workerSource = (root: string): string => join(root, WORKER_DIR, WORKER_FILE);
