// The poll's results keep "I would carry on" and "I could not stop" apart: the Taddicken essay
// argues that choosing to stay and being unable to leave are different answers.
import { describe, expect, it } from 'vitest';
import { findPoll, summarisePoll } from '../../src/features/polls/polls.ts';

const poll = findPoll('wechat-paradox')!;

describe('the worried who stay, answer by answer', () => {
  it('counts "carry on" and "could not stop" separately among the worried only', () => {
    const summary = summarisePoll(
      poll,
      [],
      [
        { first: 'great', second: 'keep', count: 2 },
        { first: 'lot', second: 'cannot', count: 3 },
        { first: 'great', second: 'stop', count: 1 },
        // Not worried: never counted among the worried, whatever they answered.
        { first: 'little', second: 'cannot', count: 5 },
      ],
    );
    expect(summary.paradox).toEqual({ worried: 6, staying: 5, percent: 83 });
    expect(summary.stayingByChoice.map((c) => [c.id, c.count, c.percent])).toEqual([
      ['keep', 2, 33],
      ['cannot', 3, 50],
    ]);
    const total = summary.stayingByChoice.reduce((a, c) => a + c.count, 0);
    expect(total).toBe(summary.paradox.staying);
  });

  it('reports zeros, not a division by zero, before anyone worried has voted', () => {
    expect(summarisePoll(poll, [], []).stayingByChoice).toEqual([
      { id: 'keep', label: 'No, I would carry on', count: 0, percent: 0 },
      { id: 'cannot', label: 'I could not stop: too much depends on it', count: 0, percent: 0 },
    ]);
  });
});
