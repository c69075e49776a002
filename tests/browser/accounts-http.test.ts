// The account routes over plain HTTP against the real built server: statuses, redirects,
// cookies, and what a refused form sends back. (The Chromium journeys are in accounts.test.ts.)
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions, users } from '../../db/schema.ts';
import { browserPath } from '../support/browser.ts';
import { makeComment } from '../support/fixtures.ts';
import { getPage, postForm, sessionCookie } from '../support/http.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const PASSWORD = 'kettle-on-the-hob';
const ESSAY = 'wechat-app-for-everything';

describe.skipIf(!browserPath())('account routes over HTTP', () => {
  let server: RunningServer;
  const url = (path: string) => `${server.url}${path}`;
  const userCount = () => server.db.select().from(users).all().length;
  const signUp = (username: string, extra: Record<string, string> = {}, path = '/signup') =>
    postForm(url(path), { username, password: PASSWORD, confirm: PASSWORD, displayName: '', ...extra });

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('signs up, sets the session cookie and returns to a same-site `next`', async () => {
    const response = await signUp('http_ada', { displayName: 'Ada' }, `/signup?next=${encodeURIComponent(`/essays/${ESSAY}/#discussion`)}`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/essays/${ESSAY}/#discussion`);
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('session='))!;
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).toMatch(/; Max-Age=2592000/);
    expect(setCookie).not.toMatch(/Secure/); // SITE_URL is http here; see the https case below.
    const account = await getPage(url('/account'), sessionCookie(response)!);
    expect(account.status).toBe(200);
    expect(await account.text()).toContain('http_ada');
  });

  it.each(['https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)'])('sends `next=%s` home', async (next) => {
    const response = await postForm(url(`/signin?next=${encodeURIComponent(next)}`), { username: 'http_ada', password: PASSWORD }, { headers: { 'x-test': next } });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
  });

  it('re-renders a refused sign-up with what was typed (never the password), a message and the fitting status', async () => {
    const taken = await signUp('HTTP_ADA', { displayName: 'Second "<Ada>"' });
    expect(taken.status).toBe(409);
    const html = await taken.text();
    expect(html).toMatch(/role="alert"[^>]*>The username “HTTP_ADA” is taken/);
    expect(html).toContain('value="HTTP_ADA"');
    // Escaped inside the attribute: the quote cannot end it.
    expect(html).toMatch(/value="Second (&#34;|&quot;)<Ada>(&#34;|&quot;)"/);
    expect(html).not.toContain(PASSWORD);
    expect(taken.headers.getSetCookie()).toEqual([]);

    const weak = await signUp('http_weak', { password: 'password123', confirm: 'password123' });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('most common');
    const mismatch = await signUp('http_weak', { confirm: 'another-password' });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('not the same');
    const reserved = await signUp('Moderator');
    expect(reserved.status).toBe(400);
    expect(userCount()).toBe(1);
  });

  it('answers one generic 401 for any failed sign-in, keeping the username', async () => {
    const wrong = await postForm(url('/signin'), { username: 'http_ada', password: 'not-the-password' });
    const unknown = await postForm(url('/signin'), { username: 'nobody_here', password: 'not-the-password' });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    const [a, b] = [await wrong.text(), await unknown.text()];
    const message = (html: string) => html.match(/role="alert"[^>]*>([^<]*)</)?.[1];
    expect(message(a)).toBe('That username and password do not match an account.');
    expect(message(b)).toBe(message(a));
    expect(a).toContain('value="http_ada"');
    expect(a).not.toContain('not-the-password');
  });

  it('answers 429 with Retry-After after 5 failures for a username', async () => {
    await signUp('http_throttled');
    for (let i = 0; i < 5; i++) {
      expect((await postForm(url('/signin'), { username: 'http_throttled', password: `guess-${i}-wrong` })).status).toBe(401);
    }
    const blocked = await postForm(url('/signin'), { username: 'http_throttled', password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(await blocked.text()).toContain('Too many attempts. Please wait 15 minutes');
    expect(sessionCookie(blocked)).toBeNull();
  });

  it('refuses a cross-origin form POST and writes nothing', async () => {
    const before = userCount();
    const response = await postForm(url('/signup'), { username: 'csrf_victim', password: PASSWORD, confirm: PASSWORD }, { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    const noOrigin = await postForm(url('/signup'), { username: 'csrf_victim', password: PASSWORD, confirm: PASSWORD }, { origin: null });
    expect(noOrigin.status).toBe(403);
    expect(userCount()).toBe(before);
  });

  it('refuses a cross-origin POST even with a valid session: the account survives', async () => {
    await signUp('csrf_target');
    const cookie = sessionCookie(await postForm(url('/signin'), { username: 'csrf_target', password: PASSWORD }))!;
    for (const path of ['/account/delete', '/account/password', '/signout', '/account']) {
      const response = await postForm(url(path), { current: PASSWORD, password: 'attacker-chosen-pw', confirm: 'attacker-chosen-pw', scope: 'others', displayName: 'pwned' }, { cookie, origin: 'https://evil.example' });
      expect(response.status).toBe(403);
    }
    const account = await getPage(url('/account'), cookie);
    expect(account.status).toBe(200);
    expect(await account.text()).not.toContain('pwned');
  });

  it('refuses oversized, malformed and non-form bodies with 4xx, never 500', async () => {
    const big = await postForm(url('/signin'), { username: 'x', password: 'y'.repeat(200 * 1024) });
    expect(big.status).toBe(413);
    const malformed = await fetch(url('/signup'), {
      method: 'POST',
      body: '--broken\r\nno headers here',
      headers: { 'content-type': 'multipart/form-data; boundary=zzz', origin: server.url },
      redirect: 'manual',
    });
    expect(malformed.status).toBe(400);
    const json = await fetch(url('/signin'), { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', origin: server.url }, redirect: 'manual' });
    expect(json.status).toBe(415);
    const empty = await postForm(url('/signin'), {});
    expect(empty.status).toBe(401);
  });

  it('treats forged, malformed and expired session cookies as signed out, never a 500', async () => {
    for (const cookie of ['session=forged', 'session=', `session=${'z'.repeat(5000)}`, 'session=%E0%A4%A', 'session="a;b"']) {
      const account = await getPage(url('/account'), cookie);
      expect(account.status).toBe(302);
      expect(account.headers.get('location')).toBe('/signin?next=%2Faccount');
      const signin = await getPage(url('/signin'), cookie);
      expect(signin.status).toBe(200);
    }
    const response = await postForm(url('/signin'), { username: 'http_ada', password: PASSWORD });
    const cookie = sessionCookie(response)!;
    server.db.update(sessions).set({ expiresAt: Math.floor(Date.now() / 1000) - 60 }).where(eq(sessions.id, cookie.split('=')[1]!)).run();
    const expired = await getPage(url('/account'), cookie);
    expect(expired.status).toBe(302);
    expect(expired.headers.getSetCookie().join()).toMatch(/session=; Max-Age=0/);
  });

  it('keeps account pages for signed-in readers only', async () => {
    for (const path of ['/account', '/account/password', '/account/delete', '/account/export']) {
      const response = await getPage(url(path));
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toMatch(/^\/signin\?next=%2Faccount/);
    }
    const revoke = await postForm(url('/account/sessions'), { session: 'x' });
    expect(revoke.status).toBe(303);
    expect(revoke.headers.get('location')).toMatch(/^\/signin/);
  });

  it('signs out this session, or every other one', async () => {
    const signIn = () => postForm(url('/signin'), { username: 'http_ada', password: PASSWORD }).then((r) => sessionCookie(r)!);
    const [laptop, phone, tablet] = [await signIn(), await signIn(), await signIn()];
    const others = await postForm(url('/signout'), { scope: 'others' }, { cookie: laptop });
    expect(others.status).toBe(303);
    expect(others.headers.get('location')).toMatch(/^\/account\?done=others/);
    expect((await getPage(url('/account'), phone)).status).toBe(302);
    expect((await getPage(url('/account'), tablet)).status).toBe(302);
    expect((await getPage(url('/account'), laptop)).status).toBe(200);

    const out = await postForm(url(`/signout?next=${encodeURIComponent(`/essays/${ESSAY}/`)}`), {}, { cookie: laptop });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe(`/essays/${ESSAY}/`);
    expect(out.headers.getSetCookie().join()).toMatch(/session=; Max-Age=0/);
    expect(server.db.select().from(sessions).where(eq(sessions.id, laptop.split('=')[1]!)).get()).toBeUndefined();
  });

  it('signs out one other session by its handle from the account page', async () => {
    const signIn = () => postForm(url('/signin'), { username: 'http_ada', password: PASSWORD }).then((r) => sessionCookie(r)!);
    const [here, there] = [await signIn(), await signIn()];
    const page = await (await getPage(url('/account'), here)).text();
    const handles = [...page.matchAll(/name="session" value="([^"]+)"/g)].map((m) => m[1]!);
    expect(handles).toHaveLength(1);
    expect(page).not.toContain(there.split('=')[1]!);
    const revoked = await postForm(url('/account/sessions'), { session: handles[0]! }, { cookie: here });
    expect(revoked.headers.get('location')).toBe('/account?done=revoked#sessions');
    expect((await getPage(url('/account'), there)).status).toBe(302);
    expect((await getPage(url('/account'), here)).status).toBe(200);
  });

  // Security review: the session id was kept across a password change, so one an attacker had
  // learned went on working. Now every session ends and this browser gets a fresh id.
  it('replaces this browser’s session id on a password change and ends every other session', async () => {
    expect((await signUp('http_rotate')).status).toBe(303);
    const signIn = () => postForm(url('/signin'), { username: 'http_rotate', password: PASSWORD }).then((r) => sessionCookie(r)!);
    const [here, stolen] = [await signIn(), await signIn()];
    const NEW = 'lighthouse-keeper-tea';
    const changed = await postForm(url('/account/password'), { current: PASSWORD, password: NEW, confirm: NEW }, { cookie: here });
    expect(changed.status).toBe(303);
    expect(changed.headers.get('location')).toBe('/account?done=password');
    const fresh = sessionCookie(changed);
    expect(fresh).not.toBeNull();
    expect(fresh).not.toBe(here);
    expect(changed.headers.getSetCookie().find((c) => c.startsWith('session='))).toMatch(/HttpOnly/i);
    expect((await getPage(url('/account'), here)).status).toBe(302);
    expect((await getPage(url('/account'), stolen)).status).toBe(302);
    expect((await getPage(url('/account'), fresh!)).status).toBe(200);
    const user = server.db.select().from(users).where(eq(users.usernameKey, 'http_rotate')).get()!;
    expect(server.db.select().from(sessions).where(eq(sessions.userId, user.id)).all().map((row) => `session=${row.id}`)).toEqual([fresh]);
  });

  it('re-renders a refused display name with a 400 and keeps it typed', async () => {
    const cookie = sessionCookie(await postForm(url('/signin'), { username: 'http_ada', password: PASSWORD }))!;
    const refused = await postForm(url('/account'), { displayName: 'Ada\u202Eevil' }, { cookie });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('text-direction overrides');
    expect(html).toContain('value="Ada\u202Eevil"');
    const saved = await postForm(url('/account'), { displayName: 'Ada' }, { cookie });
    expect(saved.headers.get('location')).toBe('/account?done=name');
  });

  it('shows a public profile with published comments only, and 404 for nobody', async () => {
    await signUp('http_profiled', { displayName: 'Profiled Reader' });
    const user = server.db.select().from(users).where(eq(users.usernameKey, 'http_profiled')).get()!;
    await makeComment(server.db, { essay: ESSAY, authorId: user.id, body: 'A published thought.' });
    const held = await makeComment(server.db, { essay: ESSAY, authorId: user.id, body: 'A held thought.' });
    server.db.$client.prepare("update comments set status = 'pending' where id = ?").run(held);
    const profile = await getPage(url('/u/HTTP_Profiled'));
    expect(profile.status).toBe(200);
    const html = await profile.text();
    expect(html).toMatch(/<h1[^>]*>Profiled Reader<\/h1>/);
    expect(html).toMatch(/Joined <time datetime="[^"]+"[^>]*>\w+ \d{4}<\/time>/);
    expect(html).toContain('A published thought.');
    expect(html).not.toContain('A held thought.');
    expect(html).not.toContain(user.id);
    expect((await getPage(url('/u/no_such_reader'))).status).toBe(404);
    expect((await getPage(url('/u/%3Cscript%3E'))).status).toBe(404);
  });

  it('renders the header island signed out and signed in', async () => {
    const cookie = sessionCookie(await postForm(url('/signin'), { username: 'http_ada', password: PASSWORD }))!;
    const page = await (await getPage(url(`/essays/${ESSAY}/`))).text();
    const island = page.match(/href="(\/_server-islands\/AccountNav[^"]+)"/)?.[1]?.replaceAll('&amp;', '&');
    expect(island).toBeTruthy();
    // The island takes its page from the Referer a browser sends with it (features/accounts/island-page.ts), not from props.
    const fromEssay = (cookie?: string) => fetch(url(island!), { headers: { referer: url(`/essays/${ESSAY}/?sort=newest`), ...(cookie ? { cookie } : {}) } });
    const signedOut = await fromEssay();
    expect(signedOut.headers.get('cache-control')).toBe('private, no-store');
    expect(await signedOut.text()).toContain(`href="/signin?next=%2Fessays%2F${ESSAY}%2F"`);
    const signedIn = await (await fromEssay(cookie)).text();
    expect(signedIn).toContain('>Ada</a>');
    expect(signedIn).toContain(`action="/signout?next=%2Fessays%2F${ESSAY}%2F"`);
    const forged = await fromEssay('session=forged');
    expect(forged.status).toBe(200);
    // Without a Referer, or with one naming no page of this site, the links lead home as from the home page.
    for (const referer of [undefined, 'https://evil.example//evil.example/']) {
      const html = await (await fetch(url(island!), { headers: referer ? { referer } : {} })).text();
      expect(html).toContain('href="/signin"');
      expect(html).not.toContain('next=');
    }
  });
});

describe.skipIf(!browserPath())('the session cookie on an https site', () => {
  it('is Secure when SITE_URL is https', async () => {
    const server = await startServer({ SITE_URL: 'https://bargain.example' });
    try {
      const response = await postForm(`${server.url}/signup`, { username: 'secure_ada', password: PASSWORD, confirm: PASSWORD });
      expect(response.status).toBe(303);
      expect(response.headers.getSetCookie().find((c) => c.startsWith('session='))).toMatch(/; HttpOnly; Secure; SameSite=Lax/);
    } finally {
      await server.stop();
    }
  });
});
