// The build step that bundles the comment renderer's worker into one file beside the server build
// (dist/server/render-worker.mjs, found there by worker-location.ts). Run from its source, Node
// loads the Markdown stack as some two hundred small modules from node_modules, each with its own
// module record and source kept for the worker's lifetime: ~8 MB more of the server's resident
// memory than one bundled file (tests/bench/README.md). The bundle also pins the worker to the
// build it belongs to.
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { build } from 'rolldown';
import { BUNDLED_WORKER_FILE, workerSource } from './worker-location.ts';

/** Bundles the worker at `source` into `target`: one ES module, the packages inlined, Node's own left to Node. */
export async function bundleRenderWorker(source: string, target: string): Promise<void> {
  await build({
    input: source,
    platform: 'node',
    logLevel: 'warn',
    output: { file: target, format: 'esm' },
  });
}

export function renderWorkerBundle(): AstroIntegration {
  let root: URL | undefined;
  let serverDir: URL | undefined;
  return {
    name: 'render-worker-bundle',
    hooks: {
      'astro:config:done': ({ config }) => {
        root = config.root;
        serverDir = config.build.server;
      },
      'astro:build:done': async ({ logger }) => {
        if (!root || !serverDir) throw new Error('The comment renderer has no server folder to go into.');
        const target = fileURLToPath(new URL(BUNDLED_WORKER_FILE, serverDir));
        await bundleRenderWorker(workerSource(fileURLToPath(root)), target);
        logger.info(`the comment renderer's worker → ${BUNDLED_WORKER_FILE}`);
      },
    },
  };
}
