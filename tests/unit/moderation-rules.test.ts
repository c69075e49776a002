import { describe, expect, it } from 'vitest';
import { blocklistMatches, normalisePhrase } from '../../src/features/moderation/blocklist.ts';
import { countLinks, DEFAULT_HOLD_RULES, holdReasons } from '../../src/features/moderation/hold-rules.ts';

describe('blocklist phrases', () => {
  it('normalises case, width and spacing, and refuses empty or oversized entries', () => {
    expect(normalisePhrase('  Buy   NOW ')).toEqual({ ok: true, phrase: 'buy now' });
    expect(normalisePhrase('ＳＰＡＭ')).toEqual({ ok: true, phrase: 'spam' });
    expect(normalisePhrase('   ')).toMatchObject({ ok: false, code: 'invalid', field: 'phrase', message: 'Type a word or phrase to block.' });
    const long = normalisePhrase('x'.repeat(101));
    expect(long).toMatchObject({ ok: false, code: 'invalid' });
    expect(!long.ok && long.message).toMatch(/at most 100 characters \(this one has 101\)/);
  });

  it('matches whole words case-insensitively, and CJK phrases anywhere', () => {
    expect(blocklistMatches('What a CLASS act', ['ass'])).toEqual([]);
    expect(blocklistMatches('You ass!', ['ass'])).toEqual(['ass']);
    expect(blocklistMatches('Please BUY\n now, friends', ['buy now'])).toEqual(['buy now']);
    expect(blocklistMatches('这是代购广告', ['代购'])).toEqual(['代购']);
    expect(blocklistMatches('a (b) c', ['(b)'])).toEqual(['(b)']);
  });

  // The matcher builds one pattern per phrase; its only repetition is the \s+ between words, which
  // a non-space letter must end, so a body built to make it rescan is still read in linear time.
  it('matches long adversarial bodies with the right answer', () => {
    const fifty = Array.from({ length: 50 }, () => 'a').join(' ');
    expect(blocklistMatches('a '.repeat(5_000), [`${fifty} b`, 'a a', 'b'])).toEqual(['a a']);
    expect(blocklistMatches(`buy${' '.repeat(10_000)}later`, ['buy now', 'buy later'])).toEqual(['buy later']);
    expect(blocklistMatches('buy '.repeat(2_500), ['buy now'])).toEqual([]);
  });
});

describe('hold rules', () => {
  it('counts Markdown links, autolinks and bare addresses once each', () => {
    expect(countLinks('no links here')).toBe(0);
    expect(countLinks('[a](https://a.example) and https://b.example and www.c.example')).toBe(3);
    expect(countLinks('[https://a.example](https://a.example)')).toBe(1);
    expect(countLinks('<https://a.example> and [b]( <https://b.example> "title")')).toBe(2);
    expect(countLinks('[w](https://en.wikipedia.org/wiki/Foo_(bar)) [x](mailto:x@y.example)')).toBe(2);
    expect(countLinks('[not a link] (https://a.example) [also not]')).toBe(1);
    expect(countLinks('[see [1]](https://a.example), [](), [a]( ) and WWW.b.example')).toBe(2);
    expect(countLinks('an unclosed [a](https://a.example and [b](https://b.example)')).toBe(2);
    expect(countLinks('[https://a.example/x_(y)](https://a.example/x_(y)) [b]((x))')).toBe(2);
  });

  const base = { rules: DEFAULT_HOLD_RULES, trusted: true, bodySource: 'Fine words.', blocklist: ['scam'] };

  it('holds an untrusted author, three links, or a blocklisted phrase, each when its rule is on', () => {
    expect(holdReasons(base)).toEqual([]);
    expect(holdReasons({ ...base, trusted: false })).toEqual(['first-comment']);
    expect(holdReasons({ ...base, bodySource: 'http://a.x http://b.x' })).toEqual([]);
    expect(holdReasons({ ...base, bodySource: 'http://a.x http://b.x http://c.x' })).toEqual(['links']);
    expect(holdReasons({ ...base, bodySource: 'What a SCAM.' })).toEqual(['blocklist']);
    const off = { firstComment: false, links: false, linkLimit: 3, blocklist: false };
    expect(holdReasons({ ...base, rules: off, trusted: false, bodySource: 'scam http://a.x http://b.x http://c.x' })).toEqual([]);
    expect(holdReasons({ ...base, rules: { ...DEFAULT_HOLD_RULES, linkLimit: 1 }, bodySource: 'see http://a.x' })).toEqual(['links']);
  });

  // Long bodies built to make a link pattern backtrack or rescan. The earlier pattern overran the
  // test's time limit (5 s) on each of the bracket ones, 55 s on the first; the last three are
  // the bare-address pattern's worst cases. All must finish with the right count.
  it.each([
    ['[](a', '[](a'.repeat(2_500), 0],
    ['[](', '[]('.repeat(3_334), 0],
    ['[](<', '[](<'.repeat(2_500), 0],
    ['[a](', '[a]('.repeat(2_500), 0],
    ['[](a(', '[](a('.repeat(2_000), 0],
    ['[]((', '[](('.repeat(2_500), 0],
    ['[', '['.repeat(100_000), 0],
    ['[]( www.', '[]( www.'.repeat(1_250), 1_249],
    ['www.', 'www.'.repeat(2_500), 1],
    ['http://(', 'http://('.repeat(1_250), 0],
  ])('counts the links in a long run of %j', (_name, body, links) => {
    expect(countLinks(body)).toBe(links);
    expect(holdReasons({ ...base, bodySource: body }).includes('links')).toBe(links >= DEFAULT_HOLD_RULES.linkLimit);
  });
});

describe('the activity chart', () => {
  it('puts whole numbers on a y axis of four round steps, and plots every day', async () => {
    const { chartGeometry, niceMax } = await import('../../src/features/moderation/activity-chart.ts');
    expect([0, 3, 5, 9, 41, 130].map(niceMax)).toEqual([4, 4, 8, 20, 80, 200]);
    const days = Array.from({ length: 30 }, (_, i) => ({ day: `2026-03-${String(i + 1).padStart(2, '0')}`, comments: i, flags: 1, removals: 0 }));
    const g = chartGeometry(days);
    expect(g.ticks.map((t) => t.value)).toEqual([0, 10, 20, 30, 40]);
    expect(g.lines.map((l) => l.points.split(' ').length)).toEqual([30, 30, 30]);
    expect(g.lines[0]!.points.split(' ')[0]).toBe(`${g.plot.left},${g.plot.bottom}`);
    expect(g.days.map((d) => d.label)).toEqual(['03-01', '03-08', '03-15', '03-22', '03-30']);
  });
});

describe('CSV export', () => {
  it('quotes separators and neutralises cells that a spreadsheet would run as formulas', async () => {
    const { toCsv } = await import('../../src/lib/csv.ts');
    expect(toCsv(['a', 'b'], [['x, y', 'say "hi"'], ['=HYPERLINK("evil")', null], [-1, '@sum']])).toBe(
      'a,b\r\n"x, y","say ""hi"""\r\n"\'=HYPERLINK(""evil"")",\r\n\'-1,\'@sum\r\n',
    );
  });
});
