// A build step for code the built server runs in a process or thread of its own (the comment
// renderer's worker, the live streams' holder): bundled into one JavaScript file beside the server
// build (dist/server/), so that Node loads neither a module graph from node_modules nor its
// TypeScript stripper for it, each of which costs resident memory for that process's lifetime
// (tests/bench/README.md). The bundle also pins that code to the build it belongs to.
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { build } from 'rolldown';

/** Bundles the module at `source` into `target`: one ES module, the packages inlined, Node's own left to Node. */
export async function bundleForNode(source: string, target: string): Promise<void> {
  await build({
    input: source,
    platform: 'node',
    logLevel: 'warn',
    output: { file: target, format: 'esm' },
  });
}

/** The integration that bundles `source(root)` to `file` in the server build once the site is built. */
export function nodeBundle(options: { name: string; what: string; source: (root: string) => string; file: string }): AstroIntegration {
  let root: URL | undefined;
  let serverDir: URL | undefined;
  return {
    name: options.name,
    hooks: {
      'astro:config:done': ({ config }) => {
        root = config.root;
        serverDir = config.build.server;
      },
      'astro:build:done': async ({ logger }) => {
        if (!root || !serverDir) throw new Error(`${options.what} has no server folder to go into.`);
        await bundleForNode(options.source(fileURLToPath(root)), fileURLToPath(new URL(options.file, serverDir)));
        logger.info(`${options.what} → ${options.file}`);
      },
    },
  };
}
