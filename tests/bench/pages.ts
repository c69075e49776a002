// `npm run bench:pages`: builds the site, times the build, and weighs every essay page as a reader's
// browser receives it: the HTML and its stylesheets as transferred (Brotli, as the server sends
// them), and its JavaScript uncompressed: the page's own (external files with everything they
// import, and inline scripts) and the discussion island's script, which every essay page loads.
// The passage tools the island's script loads on first use (a selection, a marker) are shown apart,
// and count in the budget. Fonts and images aside.
// Budgets: HTML+CSS <= 25 KB as transferred (issue 14); JS <= 20 KB as the page loads it, the
// discussion's script and the passage tools in use included (issues 3 and 12); build < 30 s. The
// budget used to be 100 KB of HTML+CSS+JS uncompressed: the margin markers (a link per paragraph,
// issue 12) took the longest essays past it, while Brotli sends each of them in a few bytes.
// Prints a table; exits 1 when a budget is broken. `--no-build` weighs the existing dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLIENT = join(ROOT, 'dist/client');
const BUDGET = { jsBytes: 20 * 1024, transferredBytes: 25 * 1024, buildMs: 30_000 };

interface Weight {
  page: string;
  html: number;
  css: number;
  js: number;
  /** HTML and stylesheets as the server sends them. */
  brotli: number;
  /** What the passage tools add once a reader uses them. */
  later: number;
}

const brotli = (text: string) => brotliCompressSync(Buffer.from(text), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** The discussion island's script (a component script of DiscussionView), which the island's HTML loads on every essay page. */
function islandScripts(): string[] {
  return readdirSync(join(CLIENT, '_astro'))
    .filter((f) => /^DiscussionView\.astro_astro_type_script.*\.js$/.test(f))
    .map((f) => `/_astro/${f}`);
}

/** Modules a script loads on demand (import("…") in any quotes), each counted once. */
function dynamicImports(paths: string[]): string[] {
  return paths.flatMap((path) => [...asset(path).matchAll(/import\(\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]\s*\)/g)].map((m) => posix.join(posix.dirname(path), m[1]!)));
}

function build(): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ASTRO_KEY: process.env.ASTRO_KEY ?? 'N0bN2b3aJ0m6x7Q8cYQw3o5XvG0b1Zq7oK2m4t6u8w0=' },
  });
  if (result.status !== 0) throw new Error('astro build failed');
  return performance.now() - started;
}

function asset(path: string): string {
  const file = join(CLIENT, path.split('?')[0]);
  if (!existsSync(file)) throw new Error(`the page refers to ${path}, which the build did not produce`);
  return readFileSync(file, 'utf8');
}

/** A script file and every module it imports, each counted once. */
function scriptWithImports(path: string, seen: Set<string>): string[] {
  if (seen.has(path)) return [];
  seen.add(path);
  const code = asset(path);
  const imports = [...code.matchAll(/(?:import|export)\s*(?:[^'"\s][^'"]*?from\s*)?["']([^"']+\.js)["']|import\(\s*["']([^"']+\.js)["']\s*\)/g)]
    .map((m) => m[1] ?? m[2])
    .filter((spec) => spec.startsWith('.') || spec.startsWith('/'))
    .map((spec) => (spec.startsWith('/') ? spec : posix.join(posix.dirname(path), spec)));
  return [code, ...imports.flatMap((p) => scriptWithImports(p, seen))];
}

function weigh(page: string): Weight {
  const html = readFileSync(join(CLIENT, page), 'utf8');
  const styles = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => asset(m[1]));
  const seen = new Set<string>();
  const external = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].flatMap((m) => scriptWithImports(m[1], seen));
  const modulePreloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]*href="([^"]+)"/g)].flatMap((m) => scriptWithImports(m[1], seen));
  const inlineScripts = [...html.matchAll(/<script(?![^>]+\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const isEssay = page.startsWith('essays/');
  const island = isEssay ? islandScripts().flatMap((p) => scriptWithImports(p, seen)) : [];
  const later = isEssay ? dynamicImports([...seen]).filter((p) => !seen.has(p)).flatMap((p) => scriptWithImports(p, seen)) : [];
  const scripts = [...external, ...modulePreloads, ...inlineScripts, ...island];
  const bytes = (parts: string[]) => parts.reduce((n, p) => n + Buffer.byteLength(p), 0);
  return {
    page: page.replace(/index\.html$/, ''),
    html: Buffer.byteLength(html),
    // Inline <style> is already in the HTML bytes; external stylesheets are added.
    css: bytes(styles),
    js: bytes(scripts),
    brotli: brotli(html) + styles.reduce((n, css) => n + brotli(css), 0),
    later: bytes(later),
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

const buildMs = process.argv.includes('--no-build') ? null : build();
const essayDir = join(CLIENT, 'essays');
const pages = readdirSync(essayDir)
  .filter((slug) => existsSync(join(essayDir, slug, 'index.html')))
  .map((slug) => `essays/${slug}/index.html`);
if (pages.length === 0) throw new Error('no essay pages in dist/client/essays: build first');

const rows = [...pages, 'index.html'].map(weigh);
let broken = false;
const table = rows.map((w) => {
  const isEssay = w.page.startsWith('essays/');
  const ok = !isEssay || (w.js + w.later <= BUDGET.jsBytes && w.brotli <= BUDGET.transferredBytes);
  if (!ok) broken = true;
  return {
    page: `/${w.page}`,
    html: kb(w.html),
    css: kb(w.css),
    'html+css br': kb(w.brotli),
    js: kb(w.js),
    'js on first use': w.later ? `+${kb(w.later)}` : '—',
    // Bytes, as the budget counts them: a page near it is told apart from one just over.
    'js in use': isEssay ? `${(w.js + w.later).toLocaleString('en')} B` : '—',
    budget: isEssay ? (ok ? 'ok' : 'OVER') : '—',
  };
});

const headers = Object.keys(table[0]) as (keyof (typeof table)[number])[];
const widths = headers.map((h) => Math.max(h.length, ...table.map((r) => r[h].length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(`\nEssay pages (budget: HTML+CSS ≤ ${kb(BUDGET.transferredBytes)} as transferred with Brotli; JS ≤ ${kb(BUDGET.jsBytes)} uncompressed as the page loads it, the discussion's script and the passage tools in use included)\n`);
console.log(line(headers));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of table) console.log(line(headers.map((h) => row[h])));
if (buildMs !== null) {
  const fast = buildMs < BUDGET.buildMs;
  if (!fast) broken = true;
  console.log(`\nBuild of ${pages.length} essays (whole site): ${(buildMs / 1000).toFixed(1)} s (budget < ${BUDGET.buildMs / 1000} s): ${fast ? 'ok' : 'OVER'}`);
}
process.exit(broken ? 1 : 0);
