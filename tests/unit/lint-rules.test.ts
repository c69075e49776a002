// The linter `npm test` runs must really catch a regex that backtracks on reader input: these run
// its command line, with the project's .oxlintrc.json, on the link pattern that once took a minute
// per comment, and check the config still carries the regexp plugin's whole recommended set.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const OXLINT = join(ROOT, 'node_modules/oxlint/bin/oxlint');
const CONFIG = join(ROOT, '.oxlintrc.json');
// What hold-rules.ts had before it was made linear.
const OLD_LINK_PATTERN = String.raw`/\[[^\]]*\]\(\s*<?[^)\s]+>?[^)]*\)/g`;

interface Diagnostic {
  code: string;
  filename: string;
}

function oxlint(...args: string[]): { status: number | null; stdout: string } {
  const run = spawnSync(process.execPath, [OXLINT, '-c', CONFIG, ...args], { cwd: ROOT, encoding: 'utf8' });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout };
}

function diagnostics(...files: string[]): Diagnostic[] {
  const { stdout } = oxlint('-f', 'json', ...files);
  return (JSON.parse(stdout) as { diagnostics: Diagnostic[] }).diagnostics;
}

const dir = mkdtempSync(join(tmpdir(), 'lint-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the linter', { timeout: 60_000 }, () => {
  it('reports the old link pattern as super-linear, in a .ts file and in .astro frontmatter', () => {
    const ts = join(dir, 'old-link-pattern.ts');
    writeFileSync(ts, `export const MARKDOWN_LINK = ${OLD_LINK_PATTERN};\n`);
    const astro = join(dir, 'OldLinkPattern.astro');
    writeFileSync(astro, `---\nconst links = Astro.props.body.match(${OLD_LINK_PATTERN});\n---\n<p>{links?.length}</p>\n`);

    const found = diagnostics(ts, astro);
    for (const file of [ts, astro]) {
      const codes = found.filter((d) => d.filename === file).map((d) => d.code);
      expect(codes).toContain('regexp(no-super-linear-backtracking)');
      expect(codes).toContain('regexp(no-super-linear-move)');
    }
    // And it fails the run, which is what stops `npm test`.
    expect(oxlint(ts).status).not.toBe(0);
  });

  it('passes the link and user-agent patterns that replaced them', () => {
    expect(diagnostics('src/features/moderation/hold-rules.ts', 'src/features/accounts/device.ts')).toEqual([]);
  });

  it('carries every rule of eslint-plugin-regexp’s recommended set, at its severity, and no-super-linear-move', () => {
    const printed = JSON.parse(oxlint('--print-config').stdout) as { rules: Record<string, string> };
    const configured = Object.fromEntries(
      Object.entries(printed.rules)
        .filter(([name]) => name.startsWith('regexp/'))
        .map(([name, level]) => [name, level === 'deny' ? 'error' : level]),
    );
    const plugin = createRequire(import.meta.url)('eslint-plugin-regexp') as {
      configs: { 'flat/recommended': { rules: Record<string, string> } };
    };
    const recommended = Object.fromEntries(
      Object.entries(plugin.configs['flat/recommended'].rules).filter(([name]) => name.startsWith('regexp/')),
    );
    expect(configured).toEqual({ ...recommended, 'regexp/no-super-linear-move': 'error' });
  });

  it('keeps the layers pointing one way: each forbidden import is reported where it is written', () => {
    // A small tree shaped like the project, linted with the project's config (its globs are
    // relative to the config file, so the config is copied beside the tree).
    const tree = mkdtempSync(join(tmpdir(), 'lint-layers-'));
    try {
      symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
      copyFileSync(CONFIG, join(tree, '.oxlintrc.json'));
      const files: Record<string, string> = {
        'db/demo/queries.ts': "import { act } from '../../src/features/demo/service.ts';\nexport const q = act;\n",
        'db/demo/pure.ts': "import { rule } from '../../src/features/demo/rules.ts';\nexport const p = rule;\n",
        'src/features/demo/rules.ts': "import { q } from '../../../db/demo/queries.ts';\nexport const rule = q;\n",
        'src/features/demo/service.ts': "import Card from './components/Card.astro';\nexport const act = Card;\n",
        'src/features/demo/components/Card.astro': "---\nimport { q } from '../../../../db/demo/queries.ts';\nimport type { Row } from '../../../../db/demo/types.ts';\nconst row: Row = q;\n---\n<p>{row}</p>\n",
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(tree, path)), { recursive: true });
        writeFileSync(join(tree, path), text);
      }
      const run = spawnSync(process.execPath, [OXLINT, '-c', join(tree, '.oxlintrc.json'), '-f', 'json', 'src', 'db'], { cwd: tree, encoding: 'utf8' });
      const found = (JSON.parse(run.stdout) as { diagnostics: (Diagnostic & { message: string })[] }).diagnostics
        .filter((d) => d.code === 'eslint(no-restricted-imports)')
        .map((d) => d.filename.replace(/\\/g, '/'));
      expect(found.sort()).toEqual(['db/demo/queries.ts', 'src/features/demo/components/Card.astro', 'src/features/demo/rules.ts', 'src/features/demo/service.ts']);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
