// The comment renderer's worker as the build bundles it (worker-bundle.ts, server/node-bundle.ts): one file that needs
// nothing from node_modules, and renders every comment exactly as the worker run from its source.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import renderFromSource from '../../src/features/discussion/markdown/render-worker.ts';
import { bundleForNode } from '../../src/server/node-bundle.ts';
import { workerSource } from '../../src/features/discussion/markdown/worker-location.ts';
import { ROOT, tempDir } from '../support/paths.ts';

const COMMENTS = [
  'Plain words.',
  'Some *emphasis*, **strong**, `code` and a [link](https://example.org/a?b=1) and www.example.com.',
  '> A quote\n>\n> > nested\n\n- one\n- two\n\n1. first\n2. second\n\n```\nfenced <b>code</b>\n```',
  '<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))',
  '['.repeat(5_000),
  '> '.repeat(200) + 'deep',
  '\u0000\uFFFD \u202E reversed ❤️ 中文',
];

describe('the bundled render worker', () => {
  let bundle: string;
  let renderFromBundle: typeof renderFromSource;
  beforeAll(async () => {
    bundle = join(tempDir('tcb-worker-bundle-'), 'render-worker.mjs');
    await bundleForNode(workerSource(ROOT), bundle);
    renderFromBundle = ((await import(pathToFileURL(bundle).href)) as { default: typeof renderFromSource }).default;
  });

  // Outside the checkout, with no node_modules above it: a package it still needed would not load.
  it('imports nothing but Node’s own modules', () => {
    const imports = [...readFileSync(bundle, 'utf8').matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    for (const specifier of imports) expect(specifier).toMatch(/^node:/);
  });

  it('renders and refuses every comment as the worker run from its source does', () => {
    for (const comment of COMMENTS) expect(renderFromBundle(comment), comment.slice(0, 40)).toEqual(renderFromSource(comment));
    expect(COMMENTS.map((c) => renderFromSource(c).ok)).toContain(false);
  });
});
