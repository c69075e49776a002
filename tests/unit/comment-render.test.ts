// The render pool: what the server calls to turn a comment's Markdown into HTML. It must refuse
// what is too deep or too large, survive a worker that runs out of time or memory, say "busy"
// rather than queue without end, and keep working for the next reader whatever came before.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMENT_RENDERER_VERSION, tryRenderCommentMarkdown } from '../../src/features/discussion/markdown/markdown.ts';
import { LIMIT_MESSAGES } from '../../src/features/discussion/markdown/limits.ts';
import { closeCommentRenderer, createCommentRenderer, renderComment } from '../../src/features/discussion/markdown/render.ts';
import { locateRenderWorker } from '../../src/features/discussion/markdown/worker-location.ts';
import { ROOT, tempDir } from '../support/paths.ts';
import { SERVER_NODE_FLAGS } from '../support/server.ts';

const FIXTURE = join(ROOT, 'tests/support/render-worker-fixture.ts');

afterAll(closeCommentRenderer);

async function expectPoolWorks() {
  expect(await renderComment('still *here*')).toEqual({ ok: true, html: '<p>still <em>here</em></p>', rendererVersion: COMMENT_RENDERER_VERSION });
}

describe('renderComment', () => {
  it('renders in the worker, with the version of the renderer that did it', async () => {
    expect(await renderComment('hi *there*, see https://example.org')).toEqual({
      ok: true,
      html: '<p>hi <em>there</em>, see <a href="https://example.org" rel="nofollow ugc noopener">https://example.org</a></p>',
      rendererVersion: COMMENT_RENDERER_VERSION,
    });
  });

  // The review's examples: each took the server down or gave a 500.
  const REVIEW = [
    ['10,000 ">" then x (ran the server out of memory)', '>'.repeat(10_000) + 'x'],
    ['2,000 ">" (a RangeError in the HTML serialiser)', '>'.repeat(2_000) + 'x'],
    ['1,000 nested "- " (a 500 after 0.3 s)', '- '.repeat(1_000) + 'x'],
    ['2,000 nested "- " (1.3 s of CPU, then a 500)', '- '.repeat(2_000) + 'x'],
  ] as const;
  for (const [name, source] of REVIEW) {
    it(`refuses ${name} with 400 quickly, in the pool and in the worker's own check, and keeps working`, async () => {
      const started = performance.now();
      expect(await renderComment(source)).toMatchObject({ ok: false, code: 'invalid', message: LIMIT_MESSAGES.blockNesting });
      expect(performance.now() - started).toBeLessThan(100); // refused on the server thread, before any parse
      // What the worker runs refuses it too, had the first look missed it.
      expect(tryRenderCommentMarkdown(source)).toEqual({ ok: false, message: LIMIT_MESSAGES.blockNesting });
      await expectPoolWorks();
    });
  }

  it('sends nesting the first look cannot see (built by indentation) to the worker, which refuses it', async () => {
    const indented = Array.from({ length: 40 }, (_, depth) => `${'  '.repeat(depth)}- level ${depth + 1}`).join('\n');
    expect(await renderComment(indented)).toMatchObject({ ok: false, code: 'invalid', message: LIMIT_MESSAGES.blockNesting });
    const fine = Array.from({ length: 16 }, (_, depth) => `${'  '.repeat(depth)}- level ${depth + 1}`).join('\n');
    expect(await renderComment(fine)).toMatchObject({ ok: true });
    await expectPoolWorks();
  });

  it('refuses emphasis nested too deep (in the worker), and floods of * and _ before parsing', async () => {
    expect(await renderComment('*a '.repeat(17) + 'x' + ' a*'.repeat(17))).toMatchObject({ ok: false, code: 'invalid', message: LIMIT_MESSAGES.inlineNesting });
    expect(await renderComment('*'.repeat(400) + 'x' + '*'.repeat(400))).toMatchObject({ ok: false, code: 'invalid', message: LIMIT_MESSAGES.inlineNesting });
    for (const flood of ['*'.repeat(5_000) + 'x' + '*'.repeat(4_999), '*_'.repeat(5_000), '*a'.repeat(5_000)]) {
      const started = performance.now();
      expect(await renderComment(flood)).toMatchObject({ ok: false, code: 'invalid', message: LIMIT_MESSAGES.emphasisMarks });
      expect(performance.now() - started).toBeLessThan(100); // micromark would take 1–2 s over these
    }
    await expectPoolWorks();
  });
});

describe('the render pool under a misbehaving worker', () => {
  it('ends a render that runs out of time with a 400, and the next render gets a fresh worker', async () => {
    const renderer = createCommentRenderer({ workerFile: FIXTURE, timeoutMs: 1_000 });
    try {
      const started = performance.now();
      expect(await renderer.render('spin')).toMatchObject({ ok: false, code: 'invalid', message: LIMIT_MESSAGES.overBudget });
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(await renderer.render('next')).toEqual({ ok: true, html: '<p>next</p>', rendererVersion: 0 });
    } finally {
      await renderer.close();
    }
  });

  it('turns a worker that runs out of memory into a 400 and recovers, the process untouched', async () => {
    const renderer = createCommentRenderer({ workerFile: FIXTURE, maxOldGenerationSizeMb: 16, timeoutMs: 20_000 });
    try {
      expect(await renderer.render('hog')).toMatchObject({ ok: false, code: 'invalid', message: LIMIT_MESSAGES.overBudget });
      expect(await renderer.render('next')).toEqual({ ok: true, html: '<p>next</p>', rendererVersion: 0 });
    } finally {
      await renderer.close();
    }
  });

  it('says busy (503, retry later) when too many renders wait, or one waits too long, and serves the rest', async () => {
    const renderer = createCommentRenderer({ workerFile: FIXTURE, timeoutMs: 1_500, maxWaiting: 1, maxWaitMs: 500 });
    try {
      const spinning = renderer.render('spin');
      const waitingTooLong = renderer.render('patient');
      const overflow = await renderer.render('one too many');
      expect(overflow).toMatchObject({ ok: false, code: 'unavailable', message: LIMIT_MESSAGES.busy, retryAfterSeconds: 5 });
      expect(await waitingTooLong).toEqual(overflow);
      expect(await spinning).toMatchObject({ ok: false, code: 'invalid' });
      expect(await renderer.render('after')).toEqual({ ok: true, html: '<p>after</p>', rendererVersion: 0 });
    } finally {
      await renderer.close();
    }
  });

  it('keeps one render per account waiting or running: another at once is refused (429, retry in a second), others are served', async () => {
    // The review: three accounts sending ten edits each filled the one queue, and a fourth reader waited 5 s or got 503.
    const renderer = createCommentRenderer({ workerFile: FIXTURE, timeoutMs: 1_000 });
    try {
      const spinning = renderer.render('spin', 'mallory');
      const again = await Promise.all(Array.from({ length: 10 }, (_, i) => renderer.render(`edit ${i}`, 'mallory')));
      for (const refused of again) expect(refused).toMatchObject({ ok: false, code: 'rate-limited', message: LIMIT_MESSAGES.oneAtATime, retryAfterSeconds: 1 });
      const others = ['ada', 'bob'].map((owner) => renderer.render(`from ${owner}`, owner));
      expect(await spinning).toMatchObject({ ok: false, code: 'invalid' });
      expect((await Promise.all(others)).map((r) => r.ok && r.html)).toEqual(['<p>from ada</p>', '<p>from bob</p>']);
      // Once the render is done, the account renders again; one that refused before the worker ties up nothing.
      expect(await renderer.render('later', 'mallory')).toMatchObject({ ok: true, html: '<p>later</p>' });
      expect(await renderer.render('> '.repeat(40) + 'x', 'mallory')).toMatchObject({ code: 'invalid' });
      expect(await renderer.render('right after', 'mallory')).toMatchObject({ ok: true });
    } finally {
      await renderer.close();
    }
  });

  it('runs waiting renders in turn once the worker is free', async () => {
    const renderer = createCommentRenderer({ workerFile: FIXTURE });
    try {
      const all = await Promise.all(Array.from({ length: 20 }, (_, i) => renderer.render(`n${i}`)));
      expect(all.map((r) => r.ok && r.html)).toEqual(Array.from({ length: 20 }, (_, i) => `<p>n${i}</p>`));
    } finally {
      await renderer.close();
    }
  });

  it('answers 503 when the worker cannot start, without throwing', async () => {
    const renderer = createCommentRenderer({ workerFile: join(ROOT, 'tests/support/no-such-worker.ts') });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      expect(await renderer.render('hi')).toMatchObject({ ok: false, code: 'unavailable' });
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      console.error = original;
      await renderer.close();
    }
  });

  it("gives the worker its own small heap even under the server's --max-old-space-size", () => {
    // V8 lets that flag override a worker's resourceLimits unless the pool clears it (nodejs/node#43991).
    expect(SERVER_NODE_FLAGS.some((flag) => flag.startsWith('--max-old-space-size'))).toBe(true);
    const run = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, join(ROOT, 'tests/support/render-pool-probe.ts'), 'heap'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    const mb = 2 ** 20;
    expect(report.worker).toBeLessThan(64 * mb); // 32 MB old + 4 MB young, and V8's overheads
    expect(report.server).toBeGreaterThan(180 * mb); // the server thread keeps its 192 MB
    expect(report.hog).toMatchObject({ ok: false, code: 'invalid', message: LIMIT_MESSAGES.overBudget });
    expect(report.after).toEqual({ ok: true, html: '<p>still there</p>', rendererVersion: 0 });
  });

  it('does not keep a process alive: one that rendered and never closed the pool still ends', () => {
    const run = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, join(ROOT, 'tests/support/render-pool-probe.ts'), 'leave-open'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(run.signal, 'killed by the timeout: the pool kept it alive').toBeNull();
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ ok: true, html: '<p>left <em>open</em></p>' });
  });
});

describe('locateRenderWorker', () => {
  const worker = join(ROOT, 'src/features/discussion/markdown/render-worker.ts');
  /** A folder with these files in it (empty), and its path. */
  const layout = (...files: string[]) => {
    const root = tempDir('tcb-worker-');
    for (const file of files) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), '');
    }
    return root;
  };
  it('finds the worker beside the module when run from the sources', () => {
    expect(locateRenderWorker(join(ROOT, 'src/features/discussion/markdown/render.ts'))).toBe(worker);
  });
  it('finds the bundle its build wrote when run from the server bundle in dist/', () => {
    const root = layout('dist/server/render-worker.mjs', 'dist/server/chunks/commands_AbCd1234.mjs', 'src/features/discussion/markdown/render-worker.ts');
    expect(locateRenderWorker(join(root, 'dist/server/chunks/commands_AbCd1234.mjs'))).toBe(join(root, 'dist/server/render-worker.mjs'));
  });
  it('finds the source in the checkout from a build without the bundle', () => {
    const root = layout('dist/server/chunks/commands_AbCd1234.mjs', 'src/features/discussion/markdown/render-worker.ts');
    expect(locateRenderWorker(join(root, 'dist/server/chunks/commands_AbCd1234.mjs'))).toBe(join(root, 'src/features/discussion/markdown/render-worker.ts'));
  });
  it('says so when there is none', () => {
    expect(() => locateRenderWorker('/nowhere/dist/server/entry.mjs')).toThrow(/render-worker\.ts/);
  });
});
