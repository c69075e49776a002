import { describe, expect, it } from 'vitest';
import { isVoterToken, newVoterToken, voterKey } from '../../src/lib/poll-voter.ts';
import { findPoll, parseBallot, safeReturnPath, summarisePoll } from '../../src/lib/polls.ts';

const poll = findPoll('wechat-paradox')!;
const form = (values: Record<string, unknown>) => (name: string) => values[name] ?? null;

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
    expect(missing).toMatchObject({ ok: false, reason: 'missing', question: { id: 'behaviour' } });
    const swapped = parseBallot(poll, form({ concern: 'keep', behaviour: 'keep' }));
    expect(swapped).toMatchObject({ ok: false, reason: 'invalid', question: { id: 'concern' } });
    expect(parseBallot(poll, form({ concern: 'great', behaviour: { x: 1 } }))).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('sends voters back only to paths on this site', () => {
    expect(safeReturnPath('/essays/privacy-for-convenience/', '/f')).toBe('/essays/privacy-for-convenience/');
    for (const bad of ['//evil.example/', 'https://evil.example/', '/\\evil', '/a?b=c', 'javascript:alert(1)', null, 42]) {
      expect(safeReturnPath(bad, '/f')).toBe('/f');
    }
  });

  it('summarises tallies into shares, and measures the paradox among the worried', () => {
    const summary = summarisePoll(
      poll,
      [
        { question: 'concern', choice: 'great', count: 3 },
        { question: 'concern', choice: 'none', count: 1 },
        { question: 'behaviour', choice: 'keep', count: 2 },
        { question: 'behaviour', choice: 'stop', count: 2 },
      ],
      [
        { first: 'great', second: 'keep', count: 2 },
        { first: 'great', second: 'stop', count: 1 },
        { first: 'none', second: 'stop', count: 1 },
      ],
    );
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
    const token = newVoterToken();
    expect(isVoterToken(token)).toBe(true);
    expect(isVoterToken('short')).toBe(false);
    expect(voterKey(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(voterKey(token)).not.toContain(token);
  });
});
