// Review finding 1 against the real built server: a comment of ~10,000 `>` ran the server out of
// memory, and deep lists or quotes gave 500s. Now such bodies are refused with a 400 that keeps
// the text (403 first when the comment is someone else's), the worker that renders Markdown is
// found and used by the built server, and the server answers the next request as before.
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Element, Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comments } from '../../db/schema.ts';
import { LIMIT_MESSAGES } from '../../src/features/discussion/markdown/limits.ts';
import { escapeHtml } from '../../src/lib/escape-html.ts';
import { browserPath } from '../support/browser.ts';
import { makeComment, makeUser } from '../support/fixtures.ts';
import { startServer, type RunningServer } from '../support/server.ts';
import { sessionCookie } from '../support/session.ts';

const ESSAY = 'wechat-app-for-everything';
const FLOOD = '>'.repeat(9_999) + 'x'; // the review's body, at the 10,000-character limit
const REVIEW_VECTORS = {
  flood: FLOOD,
  'nested lists ×1,000': '- '.repeat(1_000) + 'x',
  'nested lists ×2,000': '- '.repeat(2_000) + 'x',
  'quotes ×2,000': '>'.repeat(2_000) + 'x',
  // Built from indentation, line by line: the server thread's first look cannot see it, so this is refused in the worker.
  'lists nested by indentation ×40': Array.from({ length: 40 }, (_, d) => `${'  '.repeat(d)}- level ${d + 1}`).join('\n'),
};

/** The text of the form's textarea in a page or fragment, as the reader would see it. */
function textareaText(html: string): string | null {
  let found: string | null = null;
  const visit = (node: Root | RootContent) => {
    if (node.type === 'element' && (node as Element).tagName === 'textarea') {
      found = (node as Element).children.map((child) => (child.type === 'text' ? child.value : '')).join('');
    } else if ('children' in node) node.children.forEach(visit);
  };
  visit(fromHtml(html));
  return found;
}

const residentMb = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024;

describe.skipIf(!browserPath())('hostile Markdown against the built server', () => {
  let server: RunningServer;
  const cookies = new Map<string, string>();
  const ids = new Map<string, string>();

  beforeAll(async () => {
    server = await startServer();
    // One account per attempt family: the rate limit (5 comments a minute) is not what is tested.
    for (const name of ['ada', 'eve', 'mal', 'oz', 'pat', 'quin', 'rae']) {
      const user = await makeUser(server.db, { username: name });
      ids.set(name, user.id);
      const c = await sessionCookie(server.db, user.id);
      cookies.set(name, `${c.name}=${c.value}`);
    }
  });
  afterAll(() => server?.stop());

  const post = (path: string, body: string, as: string, fragment = false) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: server.url,
        Cookie: cookies.get(as)!,
        ...(fragment ? { 'X-Discussion-Fragment': '1' } : {}),
      },
      body: new URLSearchParams({ essay: ESSAY, body }),
      redirect: 'manual',
    });

  async function expectServerAnswers() {
    expect((await fetch(`${server.url}/discussion/${ESSAY}/`)).status).toBe(200);
  }

  it('refuses the review’s body on /comments/new with a 400 that keeps the text, and stays up', async () => {
    const response = await post('/comments/new', FLOOD, 'eve');
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain(escapeHtml(LIMIT_MESSAGES.blockNesting));
    expect(textareaText(html)).toBe(FLOOD);
    await expectServerAnswers();
    expect(server.db.select().from(comments).where(eq(comments.authorId, ids.get('eve')!)).all()).toEqual([]);
  });

  it('refuses each of the review’s vectors (and one only the worker sees) with a 400, page or fragment', async () => {
    const people = ['mal', 'oz', 'pat'];
    let turn = 0;
    for (const [name, body] of Object.entries(REVIEW_VECTORS)) {
      for (const fragment of [false, true]) {
        const response = await post('/comments/new', body, people[turn++ % people.length]!, fragment);
        expect(response.status, `${name}${fragment ? ' (fragment)' : ''}`).toBe(400);
        const html = await response.text();
        expect(html, name).toContain(escapeHtml(LIMIT_MESSAGES.blockNesting));
        expect(textareaText(html), name).toBe(body);
      }
    }
    await expectServerAnswers();
  });

  it('renders an ordinary comment in the worker, also after the attacks', async () => {
    const response = await post('/comments/new', '> a *quoted* line\n\n- one\n  - two', 'quin');
    expect(response.status).toBe(303);
    const row = server.db.select().from(comments).where(eq(comments.authorId, ids.get('quin')!)).get()!;
    expect(row.bodyHtml).toBe('<blockquote>\n<p>a <em>quoted</em> line</p>\n</blockquote>\n<ul>\n<li>one\n<ul>\n<li>two</li>\n</ul>\n</li>\n</ul>');
  });

  it('answers someone else’s comment with 403 before looking at the body, and the author’s own with 400', async () => {
    const adaComment = await makeComment(server.db, { essay: ESSAY, authorId: ids.get('ada')!, body: 'Ada’s words.' });
    const refused = await post(`/comments/${adaComment}/edit`, FLOOD, 'eve');
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Only the author of a comment can change it.');
    expect(server.db.select().from(comments).where(eq(comments.id, adaComment)).get()!.bodySource).toBe('Ada’s words.');
    await expectServerAnswers();

    const own = await makeComment(server.db, { essay: ESSAY, authorId: ids.get('rae')!, body: 'Rae’s words.' });
    const tooDeep = await post(`/comments/${own}/edit`, FLOOD, 'rae');
    expect(tooDeep.status).toBe(400);
    const html = await tooDeep.text();
    expect(html).toContain(escapeHtml(LIMIT_MESSAGES.blockNesting));
    expect(textareaText(html)).toBe(FLOOD);
    expect(server.db.select().from(comments).where(eq(comments.id, own)).get()!.bodySource).toBe('Rae’s words.');
    // The same author's next, ordinary edit goes through.
    expect((await post(`/comments/${own}/edit`, 'Rae’s *better* words.', 'rae')).status).toBe(303);
    expect(server.db.select().from(comments).where(eq(comments.id, own)).get()!.bodyHtml).toBe('<p>Rae’s <em>better</em> words.</p>');
  });

  it('stays under 200 MB resident after all that, the worker included', async () => {
    // About the heaviest comment a reader writes: a list of 700 items filling the 10,000 characters.
    expect((await post('/comments/new', '- item\n  more\n'.repeat(700), 'quin')).status).toBe(303);
    await expectServerAnswers();
    const resident = residentMb(server.process.pid!);
    console.log(`server resident after the hostile posts: ${Math.round(resident)} MB`);
    expect(resident).toBeLessThan(200);
  });

  it('stops promptly and cleanly on SIGTERM with the render worker started', async () => {
    const exited = new Promise<number | null>((resolve) => server.process.once('exit', (code) => resolve(code)));
    const started = Date.now();
    server.process.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});
