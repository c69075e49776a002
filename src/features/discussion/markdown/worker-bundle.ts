// The build step that bundles the comment renderer's worker into one file beside the server build
// (dist/server/render-worker.mjs, found there by worker-location.ts). Run from its source, Node
// loads the Markdown stack as some two hundred small modules from node_modules, each with its own
// module record and source kept for the worker's lifetime: ~8 MB more of the server's resident
// memory than one bundled file (tests/bench/README.md).
import type { AstroIntegration } from 'astro';
import { nodeBundle } from '../../../server/node-bundle.ts';
import { BUNDLED_WORKER_FILE, workerSource } from './worker-location.ts';

export function renderWorkerBundle(): AstroIntegration {
  return nodeBundle({ name: 'render-worker-bundle', what: "the comment renderer's worker", source: workerSource, file: BUNDLED_WORKER_FILE });
}
