// The build step that bundles the live streams' holder (stream-holder.ts) into one file beside the
// server build, where held-streams.ts looks for it first: run from its source, Node loads its
// TypeScript stripper in that process too, ~20 MB of resident memory for nothing.
import type { AstroIntegration } from 'astro';
import { nodeBundle } from './node-bundle.ts';
import { BUNDLED_HOLDER_FILE, HOLDER_SOURCE } from './held-streams.ts';

export function streamHolderBundle(): AstroIntegration {
  return nodeBundle({ name: 'stream-holder-bundle', what: "the live streams' holder", source: (root) => `${root}/${HOLDER_SOURCE}`, file: BUNDLED_HOLDER_FILE });
}
