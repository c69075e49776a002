import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ballotLimitKey, newVoterCookie, verifiedVoterToken, voterKey } from '../../src/features/polls/voter.ts';
import { afterVotePath, findPoll, parseBallot, safeReturnPath, summarisePoll } from '../../src/features/polls/polls.ts';

const poll = findPoll('wechat-paradox')!;
/** A form as the ballot schema reads it: every value sent under a name, an array value a field sent several times. */
const form = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).map(([name, value]) => [name, [value].flat()]));

describe('poll rules', () => {
  it('knows its polls', () => {
    expect(poll.questions.map((q) => q.id)).toEqual(['concern', 'behaviour']);
    expect(findPoll('nope')).toBeUndefined();
  });

  it('accepts a ballot that answers every question with its own options', () => {
    expect(parseBallot(poll, form({ concern: 'great', behaviour: 'keep' }))).toEqual({
      ok: true,
      answers: [
        { question: 'concern', choice: 'great' },
        { question: 'behaviour', choice: 'keep' },
      ],
    });
  });

  it('rejects a missing answer and an answer from another question or nowhere', () => {
    const missing = parseBallot(poll, form({ concern: 'great' }));
    expect(missing).toMatchObject({ ok: false, code: 'invalid', field: 'behaviour', message: expect.stringMatching(/^Please answer/) });
    const swapped = parseBallot(poll, form({ concern: 'keep', behaviour: 'keep' }));
    expect(swapped).toMatchObject({ ok: false, code: 'invalid', field: 'concern', message: expect.stringMatching(/^That is not one of the answers/) });
    expect(parseBallot(poll, form({ concern: 'great', behaviour: { x: 1 } }))).toMatchObject({ ok: false, code: 'invalid', field: 'behaviour' });
    expect(parseBallot(poll, form({ concern: 'great', behaviour: 'nonexistent' }))).toMatchObject({ ok: false, code: 'invalid', field: 'behaviour', message: expect.stringMatching(/^That is not one of the answers/) });
  });

  it('refuses a question answered twice in one form, rather than picking one of the answers', () => {
    for (const twice of [['great', 'none'], ['great', 'great'], ['great', 'bogus']]) {
      const result = parseBallot(poll, form({ concern: twice, behaviour: 'keep' }));
      expect(result).toMatchObject({ ok: false, code: 'invalid', field: 'concern' });
      expect(result.ok ? '' : result.message).toContain('only one answer');
    }
    // An empty duplicate is what a browser never sends, but it is not a second answer.
    expect(parseBallot(poll, form({ concern: ['', 'great'], behaviour: 'keep' }))).toMatchObject({ ok: true });
  });

  it('sends voters back only to paths on this site', () => {
    expect(safeReturnPath('/essays/privacy-for-convenience/', '/f')).toBe('/essays/privacy-for-convenience/');
    for (const bad of ['//evil.example/', 'https://evil.example/', '/\\evil', '/a?b=c', 'javascript:alert(1)', null, 42]) {
      expect(safeReturnPath(bad, '/f')).toBe('/f');
    }
  });

  it('sends a recorded vote back to the essay from the island, and to the poll page from the plain form', () => {
    expect(afterVotePath('/polls/p/', '/essays/e/', true)).toBe('/essays/e/#reader-poll');
    expect(afterVotePath('/polls/p/', '/essays/e/', false)).toBe('/polls/p/?from=%2Fessays%2Fe%2F');
    expect(afterVotePath('/polls/p/', '/polls/p/', true)).toBe('/polls/p/');
  });

  it('summarises tallies into shares, and measures the paradox among the worried', () => {
    // [question, choice, votes], and [first answer, second answer, voters].
    const tallies = ([['concern', 'great', 3], ['concern', 'none', 1], ['behaviour', 'keep', 2], ['behaviour', 'stop', 2]] as const).map(
      ([question, choice, count]) => ({ question, choice, count }),
    );
    const pairs = ([['great', 'keep', 2], ['great', 'stop', 1], ['none', 'stop', 1]] as const).map(([first, second, count]) => ({ first, second, count }));
    const summary = summarisePoll(poll, tallies, pairs);
    expect(summary.voters).toBe(4);
    expect(summary.questions[0].options.map((o) => [o.id, o.count, o.percent])).toEqual([
      ['none', 1, 25],
      ['little', 0, 0],
      ['lot', 0, 0],
      ['great', 3, 75],
    ]);
    expect(summary.paradox).toEqual({ worried: 3, staying: 2, percent: 67 });
    expect(summarisePoll(poll, [], []).paradox).toEqual({ worried: 0, staying: 0, percent: 0 });
  });

  it('keeps only a hash of the anonymous token', () => {
    const secret = randomBytes(32);
    const token = verifiedVoterToken(secret, newVoterCookie(secret))!;
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(voterKey(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(voterKey(token)).not.toContain(token);
  });
});

describe('voter cookies', () => {
  const secret = randomBytes(32);

  it('are fresh each time, and verify under the secret that signed them', () => {
    const [a, b] = [newVoterCookie(secret), newVoterCookie(secret)];
    expect(a).not.toBe(b);
    expect(verifiedVoterToken(secret, a)).toBe(a.split('.')[0]);
    expect(verifiedVoterToken(secret, b)).toBe(b.split('.')[0]);
  });

  it('count for nothing when made up, altered, moved to another token or signed under another secret', () => {
    const issued = newVoterCookie(secret);
    const [token, signature] = issued.split('.') as [string, string];
    const other = newVoterCookie(secret);
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const forged = [
      randomBytes(32).toString('base64url'), // an unsigned token, as cookies were before signing
      `${randomBytes(32).toString('base64url')}.${randomBytes(32).toString('base64url')}`,
      `${flip(token)}.${signature}`,
      `${token}.${flip(signature)}`,
      `${token}.${other.split('.')[1]}`,
      `${token}.${createHmac('sha256', 'another secret').update(`poll-voter\u0000${token}`).digest('base64url')}`,
      newVoterCookie(randomBytes(32)),
      `${token}.${createHmac('sha256', secret).update(token).digest('base64url')}`, // no purpose label
    ];
    for (const value of forged) expect(verifiedVoterToken(secret, value), value).toBeNull();
  });

  it('never throw on odd values: huge, empty, padded, split, non-strings', () => {
    const issued = newVoterCookie(secret);
    const odd: unknown[] = [
      undefined, null, '', '.', 42, {}, ['x'], 'x'.repeat(100_000), issued.repeat(50), ` ${issued}`, `${issued} `, `${issued}.`,
      `${issued}\u0000`, issued.replace('.', ':'), issued.replace('.', '..').slice(0, 87), '%zz%', '漢'.repeat(87), '\uD800'.repeat(87),
      `${issued.split('.')[0]}=.${issued.split('.')[1]}`,
    ];
    for (const value of odd) expect(verifiedVoterToken(secret, value)).toBeNull();
  });
});

describe('the per-network ballot limit', () => {
  const secret = randomBytes(32);

  it('keys the count by poll and network under the secret, never the address itself', () => {
    const key = ballotLimitKey(secret, 'wechat-paradox', '2001:db8::1');
    expect(key).toBe(ballotLimitKey(secret, 'wechat-paradox', '2001:db8::2'));
    expect(key).not.toBe(ballotLimitKey(secret, 'wechat-paradox', '2001:db9::1'));
    expect(key).not.toBe(ballotLimitKey(secret, 'another-poll', '2001:db8::1'));
    expect(key).not.toBe(ballotLimitKey(randomBytes(32), 'wechat-paradox', '2001:db8::1'));
    expect(ballotLimitKey(secret, 'p', '198.51.100.4')).not.toContain('198.51.100.4');
    expect(key).toMatch(/^[\w-]{43}$/);
  });
});
