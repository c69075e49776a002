// Findings 4, 9 and 12 of the security review, over plain HTTP against the real built server.
// Requests come from different loopback addresses (127.0.0.x), which the server sees as
// different clients, exactly as it reads client addresses in production without a proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema.ts';
import { browserPath } from '../support/browser.ts';
import { makeComment } from '../support/fixtures.ts';
import { cookiesFrom, sendFrom } from '../support/from-address.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const PASSWORD = 'kettle-on-the-hob';
const ESSAY = 'wechat-app-for-everything';

describe.skipIf(!browserPath())('security review findings over HTTP', () => {
  let server: RunningServer;
  let nextAddress = 10;
  // A fresh client address per sign-up: sign-ups are limited per address.
  const newAddress = () => `127.0.0.${nextAddress++}`;
  const url = (path: string) => `${server.url}${path}`;
  const signUp = (username: string, extra: Record<string, string> = {}, path = '/signup', from = newAddress()) =>
    sendFrom(from, url(path), { form: { username, password: PASSWORD, confirm: PASSWORD, displayName: '', ...extra } });
  const signIn = (from: string, username: string, password: string, path = '/signin', cookie?: string) =>
    sendFrom(from, url(path), { form: { username, password }, cookie });
  const sameOrigin = (location: string | null) => {
    expect(location).not.toBeNull();
    expect(location).toMatch(/^\/(?![/\\])/);
    expect(new URL(location!, server.url).origin).toBe(server.url);
    expect(new URL(location!, 'https://any.example/deep/page').origin).toBe('https://any.example');
  };

  beforeAll(async () => {
    server = await startServer();
    expect((await signUp('review_ada')).status).toBe(303);
  });
  afterAll(async () => {
    await server?.stop();
  });

  // Finding 4: the check ran before normalisation, so these answered `Location: //evil.example/phish`.
  const HOSTILE_NEXT = [
    '/.//evil.example/phish',
    '/..//evil.example/phish',
    '/%2e%2e//evil.example/phish',
    '/%2e//evil.example',
    '/.%2e//evil.example',
    '/./%2f/evil.example',
    '/a/../..//evil.example',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\/evil.example',
    '/%5cevil.example',
    '/%09/evil.example',
    '/\t/evil.example',
    '/%2F%2Fevil.example',
    '%2f%2fevil.example',
    ' //evil.example',
    'http://evil.example',
    'https:evil.example',
    'javascript:alert(1)',
  ];

  it.each(HOSTILE_NEXT)('signs in with next=%j and redirects within the site', async (next) => {
    const response = await signIn('127.0.0.2', 'review_ada', PASSWORD, `/signin?next=${encodeURIComponent(next)}`);
    expect(response.status).toBe(303);
    sameOrigin(response.location);
  });

  it.each(['/.//evil.example/phish', '/..//evil.example/phish', '/%2e%2e//evil.example/phish', '/a/../..//evil.example'])(
    'signs up with next=%j and redirects within the site',
    async (next) => {
      const response = await signUp(`review_next_${nextAddress}`, {}, `/signup?next=${encodeURIComponent(next)}`);
      expect(response.status).toBe(303);
      sameOrigin(response.location);
    },
  );

  it('also keeps the sign-in form’s own links on the site', async () => {
    const page = await sendFrom('127.0.0.2', url(`/signin?next=${encodeURIComponent('/.//evil.example/phish')}`));
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/evil\.example/);
  });

  // Finding 9: five wrong passwords from anywhere locked the account for its owner.
  it('lets the owner sign in from another address after five wrong passwords from an attacker', async () => {
    const owner = newAddress();
    const made = await signUp('review_owner', {}, '/signup', owner);
    expect(made.status).toBe(303);
    const ownerSession = cookiesFrom(made, ['session']);
    const attacker = '127.0.0.3';
    for (let i = 0; i < 5; i++) expect((await signIn(attacker, 'review_owner', `wrong-guess-${i}`)).status).toBe(401);
    const held = await signIn(attacker, 'review_owner', PASSWORD);
    expect(held.status).toBe(429);
    expect(held.text).toContain('Too many attempts');

    // From another network, without any cookie: signs in.
    const elsewhere = await signIn(newAddress(), 'review_owner', PASSWORD);
    expect(elsewhere.status).toBe(303);
    expect(cookiesFrom(elsewhere, ['session'])).toMatch(/^session=/);

    // Behind the session, the owner's password change and deletion are not held back by the attacker.
    const NEW = 'a-brand-new-kettle';
    const changed = await sendFrom(owner, url('/account/password'), { form: { current: PASSWORD, password: NEW, confirm: NEW }, cookie: ownerSession });
    expect(changed.status).toBe(303);
    expect(changed.location).toBe('/account?done=password');
    // The change gives this browser a fresh session id (the old one ended with the old password).
    const renewed = cookiesFrom(changed, ['session']);
    expect(renewed).not.toBe(ownerSession);
    for (let i = 0; i < 5; i++) await signIn(attacker, 'review_owner', `more-guesses-${i}`);
    const deleted = await sendFrom(owner, url('/account/delete'), { form: { current: NEW }, cookie: renewed });
    expect(deleted.status).toBe(303);
    expect(deleted.location).toBe('/account/deleted');
  });

  it('marks a browser that signed in as a known device, sent only to /signin', async () => {
    const response = await signIn(newAddress(), 'review_ada', PASSWORD);
    const cookie = response.setCookies.find((c) => c.startsWith('known_device='))!;
    expect(cookie).toMatch(/; Path=\/signin/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/review_ada/i);
  });

  it('holds back a stolen session guessing the password, per account', async () => {
    const from = newAddress();
    const made = await signUp('review_stolen', {}, '/signup', from);
    const session = cookiesFrom(made, ['session']);
    for (let i = 0; i < 5; i++) {
      expect((await sendFrom(from, url('/account/delete'), { form: { current: `guess-${i}-wrong` }, cookie: session })).status).toBe(403);
    }
    const held = await sendFrom(from, url('/account/delete'), { form: { current: PASSWORD }, cookie: session });
    expect(held.status).toBe(429);
    // Sign-in is another count: the owner still signs in.
    expect((await signIn(newAddress(), 'review_stolen', PASSWORD)).status).toBe(303);
  });

  // Finding 12: display names could take another reader's or an admin's name, or show nothing.
  it('refuses a display name like another account’s username with 409, keeping what was typed', async () => {
    const refused = await signUp('review_bob', { displayName: 'Review-ADA' });
    expect(refused.status).toBe(409);
    expect(refused.text).toMatch(/role="alert"[^>]*>The display name “Review-ADA” looks too much like the name of another account/);
    expect(refused.text).toContain('value="review_bob"');
    expect(refused.text).toContain('value="Review-ADA"');
    expect(refused.text).not.toContain(PASSWORD);
    expect(refused.setCookies).toEqual([]);
    expect(server.db.select().from(users).all().map((u) => u.username)).not.toContain('review_bob');
  });

  it('refuses a username like another account’s display name, and invisible or reserved display names', async () => {
    const named = await signUp('review_carol', { displayName: 'Carol the Careful' });
    expect(named.status).toBe(303);
    const lookAlike = await signUp('caro1_the_carefu1');
    expect(lookAlike.status).toBe(409);
    expect(lookAlike.text).toContain('value="caro1_the_carefu1"');
    for (const displayName of ['\u3164', 'аdmin', 'Site Admin']) {
      const refused = await signUp('review_dan', { displayName });
      expect(refused.status).toBe(400);
      expect(refused.text).toMatch(/role="alert"/);
      expect(refused.text).toContain(`value="${displayName}"`);
    }
  });

  it('refuses a look-alike display name on the account page with 409, keeping it typed', async () => {
    const from = newAddress();
    const made = await signUp('review_erin', {}, '/signup', from);
    const cookie = cookiesFrom(made, ['session']);
    const refused = await sendFrom(from, url('/account'), { form: { displayName: 'Carol the Carefu1' }, cookie });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('looks too much like the name of another account');
    expect(refused.text).toContain('value="Carol the Carefu1"');
    // One's own username, in another dress, is fine.
    const own = await sendFrom(from, url('/account'), { form: { displayName: 'Review Erin' }, cookie });
    expect(own.location).toBe('/account?done=name');
  });

  // Small capitals and IPA letters were not folded, and format characters, letterless names and
  // stacked marks were let through.
  it('refuses small-capital look-alikes, reserved names in small capitals, hidden characters and letterless or stacked names', async () => {
    expect((await signUp('rtadmin')).status).toBe(303);
    for (const displayName of ['\u0280\u1D1B\u1D00\u1D05\u1D0D\u026A\u0274', 'rtadmi\u0274', '\u027Etadmin']) {
      const refused = await signUp('review_fay', { displayName });
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('looks too much like the name of another account');
      expect(refused.text).toContain(`value="${displayName}"`);
    }
    // Digits standing for letters ("4" for "a") are not look-alikes: the skeleton follows UTS #39.
    expect((await signUp('rt4dmin')).status).toBe(303);

    const from = newAddress();
    const cookie = cookiesFrom(await signUp('review_gus', {}, '/signup', from), ['session']);
    const refusedNames = [
      '\u1D0D\u1D0F\u1D05\u1D07\u0280\u1D00\u1D1B\u1D0F\u0280',
      'S\u026A\u1D1B\u1D07 A\u1D05\u1D0D\u026A\u0274',
      '\u1D00dmin',
      '[\u1D05\u1D07\u029F\u1D07\u1D1B\u1D07\u1D05]',
      '\uA731\u1D1B\u1D00\uA730\uA730',
      'Gus\u2062Review',
      'Gus\uFFF9',
      'Gus\u{E0041}\u{E0042}',
      '...',
      '.,_',
      'G\u0301\u0302\u0303us',
    ];
    for (const displayName of refusedNames) {
      const refused = await sendFrom(from, url('/account'), { form: { displayName }, cookie });
      expect(refused.status, displayName).toBe(400);
      expect(refused.text).toMatch(/role="alert"/);
      expect(refused.text).toContain(`value="${displayName}"`);
    }
    const gus = server.db.select().from(users).all().find((u) => u.username === 'review_gus');
    expect(gus?.displayName).toBeNull();
  });

  it('shows the @username beside a display name in the discussion, the replies page and the feed', async () => {
    const from = newAddress();
    const made = await signUp('review_mallory', { displayName: 'The Editors' }, '/signup', from);
    const mallory = server.db.select().from(users).all().find((u) => u.username === 'review_mallory')!;
    const ada = server.db.select().from(users).all().find((u) => u.username === 'review_ada')!;
    const top = await makeComment(server.db, { essay: ESSAY, authorId: ada.id, body: 'A thought from Ada.' });
    const reply = await makeComment(server.db, { essay: ESSAY, authorId: mallory.id, body: 'An official-looking reply.', parentId: top });
    const page = await sendFrom(from, url(`/discussion/${ESSAY}/`));
    expect(page.text).toMatch(/class="comment-author"[^>]*>The Editors<\/a>\s*<span class="comment-handle">@review_mallory<\/span>/);
    const adaSession = cookiesFrom(await signIn(newAddress(), 'review_ada', PASSWORD), ['session']);
    const replies = await sendFrom(from, url('/replies'), { cookie: adaSession });
    expect(replies.status).toBe(200);
    expect(replies.text).toMatch(/The Editors<\/span>\s*<span class="comment-handle"[^>]*>@review_mallory<\/span>/);
    // The comment quoted above the reply form.
    const form = await sendFrom(from, url(`/comments/new?essay=${ESSAY}&parent=${reply}`), { cookie: adaSession });
    expect(form.text).toMatch(/The Editors<\/span>\s*<span class="comment-handle"[^>]*>@review_mallory<\/span>/);
    const feed = await sendFrom(from, url(`/discussion/${ESSAY}/feed.xml`));
    expect(feed.text).toContain('<title>The Editors (@review_mallory) on');
    expect(made.status).toBe(303);
  });
});
