// A Vite plugin for the client build. Vite wraps every `import()` in a helper that first fetches the
// imported chunk's stylesheets and preloads its own imports; it adds the helper (1.7 KB minified, in
// the discussion island's script) even when there is nothing to fetch (vitejs/vite#13952). The
// site's one lazily loaded chunk, the passage tools, has no stylesheet and no imports of its own,
// so here the helper just calls `import()`. Should a lazy chunk ever gain a stylesheet or an import
// of another chunk, the build stops rather than leave them unloaded.
import type { Plugin } from 'vite';

const HELPER = '\0vite/preload-helper.js';

export function plainDynamicImports(): Plugin {
  return {
    name: 'plain-dynamic-imports',
    apply: 'build',
    applyToEnvironment: (environment) => environment.config.consumer === 'client',
    load: {
      filter: { id: new RegExp(`^${HELPER.replace(/[./]/g, '\\$&')}$`) },
      handler: () => 'export const __vitePreload = (load) => load();',
    },
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        for (const name of chunk.dynamicImports) {
          const lazy = bundle[name];
          if (lazy?.type === 'chunk' && (lazy.imports.length > 0 || (lazy.viteMetadata?.importedCss.size ?? 0) > 0)) {
            this.error(`${chunk.fileName} loads ${name} on demand, which has stylesheets or chunks to load first: plain-dynamic-imports would leave them out; take it out of astro.config.mjs.`);
          }
        }
      }
    },
  };
}
