import { describe, expect, it } from 'vitest';
import { essaysTagged, newestFirst, relatedEssays, tagCounts, tagSlug } from '../../src/features/reading/essays.ts';
import { essayWords, footnoteDefinitions, footnoteReferences, labelConflicts, duplicateSources, noteProblems } from '../../src/features/reading/essay-notes.ts';
import { seriesOrder, seriesPlace } from '../../src/features/reading/essay-series.ts';
import { correctionLog, essayCorrections, CORRECTION_ID } from '../../src/features/reading/essay-corrections.ts';
import { essaySchema } from '../../src/features/reading/essay-schema.ts';
import { essaySlugs, essaySource } from '../support/pages.ts';

const essay = (id: string, published: string, tags: string[] = [], related: string[] = []) => ({
  id,
  data: { title: id, published: new Date(published), tags, related },
});

const all = [
  essay('a', '2026-01-01', ['wechat', 'privacy'], ['c', 'missing', 'a']),
  essay('b', '2026-03-01', ['wechat']),
  essay('c', '2026-02-01', ['law']),
  essay('d', '2026-04-01', ['privacy', 'wechat']),
];

describe('essay lists', () => {
  it('orders newest first', () => {
    expect(newestFirst(all).map((e) => e.id)).toEqual(['d', 'b', 'c', 'a']);
  });

  it('makes tag slugs for URLs', () => {
    expect(tagSlug('Privacy Paradox')).toBe('privacy-paradox');
    expect(tagSlug('  super-app! ')).toBe('super-app');
  });

  it('counts tags, most used first', () => {
    expect(tagCounts(all)).toEqual([
      { tag: 'wechat', slug: 'wechat', count: 3 },
      { tag: 'privacy', slug: 'privacy', count: 2 },
      { tag: 'law', slug: 'law', count: 1 },
    ]);
    expect(essaysTagged(all, 'privacy').map((e) => e.id)).toEqual(['d', 'a']);
  });

  it('relates the named essays first, then those sharing most tags, never itself or a missing slug', () => {
    expect(relatedEssays(all[0], all).map((e) => e.id)).toEqual(['c', 'd', 'b']);
    expect(relatedEssays(all[1], all, 2).map((e) => e.id)).toEqual(['d', 'a']);
  });
});

describe('the sitemap', () => {
  it('lists the reading pages and leaves forms and accounts out', async () => {
    const { inSitemap } = await import('../../src/features/reading/sitemap.ts');
    const site = 'https://example.org';
    for (const path of ['/', '/essays/fuchs-and-the-prosumer/', '/tags/', '/tags/wechat/', '/figures/', '/series/', '/corrections/', '/privacy/']) {
      expect(inSitemap(site + path), path).toBe(true);
    }
    for (const path of ['/signin/', '/account/', '/account/delete/', '/polls/wechat-paradox/', '/u/ada/', '/essays/']) {
      expect(inSitemap(site + path), path).toBe(false);
    }
  });
});

// ---------- The essays as a series: length, notes, sources, order, corrections ----------


const ESSAYS = essaySlugs().map((id) => ({ id, body: essaySource(id) }));
/** A scalar line of an essay's front matter (dates and numbers only: the schema checks the rest at build). */
const frontMatterValue = (body: string, key: string) => new RegExp(`^${key}: (.+)$`, 'm').exec(body.split(/^---$/m)[1] ?? '')?.[1]?.trim();
const correctionIds = (body: string) => [...(body.split(/^---$/m)[1] ?? '').matchAll(/^ +- id: (\S+)$/gm)].map((m) => m[1]!);

describe('each essay', () => {
  it('is found', () => expect(ESSAYS.length).toBeGreaterThanOrEqual(4));

  for (const { id, body } of ESSAYS) {
    it(`${id}: has 1,500 to 3,200 words of its own, at least 8 notes, and cites every note it defines`, () => {
      const words = essayWords(body);
      expect(words, `${id} has ${words} words`).toBeGreaterThanOrEqual(1500);
      expect(words, `${id} has ${words} words`).toBeLessThanOrEqual(3200);
      expect(footnoteDefinitions(body).size).toBeGreaterThanOrEqual(8);
      expect(noteProblems(body)).toEqual({ unused: [], undefined: [] });
    });
  }
});

describe('the checks themselves', () => {
  const mdx = [
    '---', 'title: x', '---', '',
    'One two three.[^a] Four five.[^b]',
    '',
    '[^a]: Source A, p. 1.',
    '  continued on a second line.',
    '[^c]: Never cited.',
  ].join('\n');

  it('counts the essay’s words without its notes, and joins a note’s continuation lines', () => {
    expect(essayWords(mdx)).toBe(5);
    expect(footnoteDefinitions(mdx).get('a')).toBe('Source A, p. 1. continued on a second line.');
    expect(footnoteReferences(mdx)).toEqual(['a', 'b']);
  });

  it('finds notes defined but not cited, and cited but not defined', () => {
    expect(noteProblems(mdx)).toEqual({ unused: ['c'], undefined: ['b'] });
  });

  it('fails a label that stands for two different sources in two essays', () => {
    const conflicts = labelConflicts([
      { id: 'one', body: 'Text.[^mau]\n\n[^mau]: Tencent Holdings (2025). Third quarter results.' },
      { id: 'two', body: 'Text.[^mau]\n\n[^mau]: MacRumors, "WeChat tops 235 million", 2013.' },
      { id: 'three', body: 'Text.[^mau]\n\n[^mau]: Tencent Holdings  (2025). Third quarter results.' },
    ]);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.label).toBe('mau');
    expect(conflicts[0]!.versions.map((v) => v.essays)).toEqual([['one', 'three'], ['two']]);
  });

  it('finds one source filed under two labels', () => {
    expect(duplicateSources([
      { id: 'one', body: 'A.[^x]\n\n[^x]: Amnesty International (2016).' },
      { id: 'two', body: 'B.[^y]\n\n[^y]: Amnesty International (2016).' },
    ])).toEqual([{ text: 'Amnesty International (2016).', labels: ['x', 'y'] }]);
  });
});

describe('one label, one source, across the series', () => {
  it('gives every shared label the same citation, word for word, in every essay', () => {
    expect(labelConflicts(ESSAYS)).toEqual([]);
  });

  it('files each source under one label', () => {
    expect(duplicateSources(ESSAYS)).toEqual([]);
  });
});

describe('the series', () => {
  const essay = (id: string, published: string, part?: number) => ({ id, data: { title: id, published: new Date(published), part } });

  it('orders the essays by part and refuses gaps, repeats and dates out of order', () => {
    const ok = [essay('c', '2026-11-15', 3), essay('a', '2026-11-01', 1), essay('x', '2026-10-01'), essay('b', '2026-11-08', 2)];
    expect(seriesOrder(ok).map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(seriesPlace(ok[0]!, ok)).toMatchObject({ part: 3, of: 3, previous: { id: 'b' }, next: undefined });
    expect(seriesPlace(ok[2]!, ok)).toBeUndefined();
    expect(() => seriesOrder([essay('a', '2026-11-01', 1), essay('b', '2026-11-08', 3)])).toThrow(/expected 2/);
    expect(() => seriesOrder([essay('a', '2026-11-01', 1), essay('b', '2026-11-08', 1)])).toThrow(/expected 2/);
    expect(() => seriesOrder([essay('a', '2026-11-08', 1), essay('b', '2026-11-01', 2)])).toThrow(/dated before/);
  });

  it('publishes the essays in the order in which the argument builds: wechat, Taddicken, Fuchs, privacy', () => {
    const parts = ESSAYS.map(({ id, body }) => essay(id, frontMatterValue(body, 'published')!, Number(frontMatterValue(body, 'part'))));
    expect(seriesOrder(parts).map((e) => e.id)).toEqual([
      'wechat-app-for-everything',
      'taddicken-and-the-privacy-paradox',
      'fuchs-and-the-prosumer',
      'privacy-for-convenience',
    ]);
  });
});

describe('the corrections log', () => {
  const entry = (id: string, date: string) => ({ id, date: new Date(date), change: 'What changed, at length.', reason: 'Why it changed, at length.' });

  it('lists every essay’s corrections newest first, and refuses an id used twice', () => {
    const log = correctionLog([
      { id: 'one', data: { title: 'One', corrections: [entry('2026-11-02-a', '2026-11-02'), entry('2026-11-20-b', '2026-11-20')] } },
      { id: 'two', data: { title: 'Two', corrections: [entry('2026-11-10-c', '2026-11-10')] } },
    ]);
    expect(log.map((c) => [c.id, c.essay.id])).toEqual([['2026-11-20-b', 'one'], ['2026-11-10-c', 'two'], ['2026-11-02-a', 'one']]);
    expect(essayCorrections([entry('2026-11-02-a', '2026-11-02'), entry('2026-11-20-b', '2026-11-20')]).map((c) => c.id)).toEqual(['2026-11-20-b', '2026-11-02-a']);
    expect(() =>
      correctionLog([
        { id: 'one', data: { title: 'One', corrections: [entry('2026-11-02-a', '2026-11-02')] } },
        { id: 'two', data: { title: 'Two', corrections: [entry('2026-11-02-a', '2026-11-02')] } },
      ]),
    ).toThrow(/used by both one and two/);
  });

  it('validates entries in the front matter: id, date, what changed and why', () => {
    const base = { title: 'T', summary: 'S', published: '2026-11-01', updated: '2026-11-29' };
    const good = { ...base, corrections: [{ id: '2026-11-29-a-fix', date: '2026-11-29', change: 'What changed, at length.', reason: 'Why it changed, at length.' }] };
    expect(essaySchema.safeParse(good).success).toBe(true);
    const bad = (patch: object, corrections = good.corrections.map((c) => ({ ...c, ...patch }))) => essaySchema.safeParse({ ...good, corrections }).success;
    expect(bad({ id: 'A fix' })).toBe(false);
    expect(bad({ id: '2026-11-28-a-fix' })).toBe(false); // the id's date is not the entry's
    expect(bad({ change: 'Fixed.' })).toBe(false);
    expect(bad({ reason: '' })).toBe(false);
    expect(bad({ date: '2026-10-01', id: '2026-10-01-a-fix' })).toBe(false); // before the essay
    expect(essaySchema.safeParse({ ...good, updated: '2026-11-20' }).success).toBe(false); // updated before the correction
    expect(essaySchema.safeParse({ ...good, corrections: [...good.corrections, ...good.corrections] }).success).toBe(false);
  });

  it('gives every essay at least one entry, each under an id used nowhere else in the series', () => {
    const ids = ESSAYS.flatMap(({ body }) => correctionIds(body));
    for (const { id, body } of ESSAYS) expect(correctionIds(body).length, id).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(CORRECTION_ID);
  });
});
