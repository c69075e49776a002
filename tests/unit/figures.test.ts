import * as Plot from '@observablehq/plot';
import { describe, expect, it } from 'vitest';
import { AMNESTY_SCORECARD, zeroOnEveryCriterion } from '../../src/features/reading/figures/amnesty-scorecard.ts';
import { DATA_KINDS, LEDGER_FEATURES, dataForFeatures, unrefusableData } from '../../src/features/reading/figures/convenience-ledger.ts';
import { KIND_LABELS, LAW_TIMELINE } from '../../src/features/reading/figures/law-timeline.ts';
import { MAX_GAP_DAYS, MEASURED_SERIES, longestGap } from '../../src/features/reading/figures/series-gaps.ts';
import { renderPlot } from '../../src/features/reading/figures/render-plot.ts';
import { FIGURES, figurePlaceholders, figuresIn, usesFigure } from '../../src/features/reading/figures/usage.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { ROOT } from '../support/paths.ts';
import { WECHAT_MAU } from '../../src/features/reading/figures/wechat-mau.ts';

describe('figure data and rendering', () => {
  it('draws a Plot chart to a labelled, scalable SVG string without a browser', () => {
    const svg = renderPlot({ marks: [Plot.barX([{ x: 3, y: 'a' }], { x: 'x', y: 'y' })] }, 'One bar of three');
    expect(svg).toMatch(/^<svg[^>]*role="img"/);
    expect(svg).toContain('aria-label="One bar of three"');
    expect(svg).toContain('viewBox=');
    expect(svg).not.toMatch(/^<svg[^>]* width="/);
    expect(svg).toContain('<rect');
  });

  it('piles up the distinct data kinds of the ticked features, the account always included', () => {
    expect(dataForFeatures([]).map((k) => k.id)).toEqual(['phone']);
    const pay = dataForFeatures(['pay', 'mini']).map((k) => k.id);
    expect(pay).toEqual(['phone', 'location', 'id-number', 'bank', 'payments', 'services']);
    expect(dataForFeatures(LEDGER_FEATURES.map((f) => f.id))).toHaveLength(DATA_KINDS.length);
  });

  it('keeps its data in order and in range', () => {
    const sortedDates = (xs: readonly { date: string }[]) => xs.every((x, i) => i === 0 || xs[i - 1].date <= x.date);
    expect(sortedDates(WECHAT_MAU)).toBe(true);
    expect(sortedDates(LAW_TIMELINE)).toBe(true);
    expect(LAW_TIMELINE.every((e) => e.date >= '2010-01-01' && e.date <= '2025-12-31')).toBe(true);
  });

  it('finds which figure components an essay uses', () => {
    expect(usesFigure('text\n<MauChart />\n', 'MauChart')).toBe(true);
    expect(usesFigure('<MauChart caption="x" />', 'MauChart')).toBe(true);
    expect(usesFigure('{/* figure: mau-chart */}', 'MauChart')).toBe(false);
    expect(usesFigure('<MauChartOld />', 'MauChart')).toBe(false);
    expect(figuresIn('<LawTimeline />\n\n<ReaderPoll poll="wechat-paradox" />')).toEqual(['law-timeline', 'reader-poll']);
    expect(figurePlaceholders('a\n{/* figure: mau-chart */}\nb {/*figure: law-timeline*/}')).toEqual(['mau-chart', 'law-timeline']);
  });

  it('has a figure for every placeholder the essays leave', () => {
    const known = new Set<string>(Object.values(FIGURES));
    const dir = `${ROOT}content/essays`;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.mdx'))) {
      for (const name of figurePlaceholders(readFileSync(`${dir}/${file}`, 'utf8'))) {
        expect(known.has(name), `${file}: {/* figure: ${name} */} names no figure`).toBe(true);
      }
    }
  });
});

describe('chart accessibility', () => {
  it('leaves one accessible name on the chart and none on its parts', () => {
    const svg = renderPlot({ marks: [Plot.barX([{ x: 3, y: 'a' }], { x: 'x', y: 'y' }), Plot.ruleX([0])] }, 'Chart name');
    expect(svg.match(/aria-label=/g)).toHaveLength(1);
  });

  it('carries no inline style, which the pages’ CSP would block', () => {
    const svg = renderPlot({ style: { fontSize: '20px' }, marks: [Plot.dot([{ x: 1, y: 2 }], { x: 'x', y: 'y' })] }, 'Dots', 14);
    expect(svg).not.toContain('<style');
    expect(svg).not.toContain('style=');
    expect(svg).toMatch(/^<svg[^>]* font-size="14"/);
  });
});

describe('figures that show what their captions say', () => {
  it('finds the longest stretch between two points of a dated series', () => {
    expect(longestGap([{ date: '2018-09-30' }, { date: '2023-06-30' }, { date: '2023-12-31' }])).toEqual({ from: '2018-09-30', to: '2023-06-30', days: 1734 });
    expect(longestGap([{ date: '2020-01-01' }])).toBeNull();
  });

  for (const [name, points] of Object.entries(MEASURED_SERIES)) {
    it(`${name}: has no gap of more than two years between two measured points`, () => {
      const gap = longestGap(points);
      expect(gap, 'a series needs at least two points').not.toBeNull();
      expect(gap!.days, `${name}: nothing measured between ${gap!.from} and ${gap!.to}`).toBeLessThanOrEqual(MAX_GAP_DAYS);
    });
  }

  it('draws WeChat’s growth through 2020 and 2021, the years whose events the caption mentions', () => {
    const years = new Set(WECHAT_MAU.map((p) => p.date.slice(0, 4)));
    for (let year = 2013; year <= 2025; year++) expect(years.has(String(year)), String(year)).toBe(true);
  });

  it('sets the law timeline in three rows, identity, limits on companies and state access, none empty', () => {
    expect(Object.keys(KIND_LABELS)).toEqual(['identity', 'companies', 'state']);
    for (const kind of Object.keys(KIND_LABELS)) expect(LAW_TIMELINE.some((e) => e.kind === kind), kind).toBe(true);
    // Article 41 of the 2017 Cybersecurity Law already limited collection: the companies' row starts before 2021.
    expect(LAW_TIMELINE.some((e) => e.kind === 'companies' && e.date === '2017-06-01' && /Articles? 41/.test(e.title))).toBe(true);
  });

  it('says, for every ledger feature, what its data is used for and whether you can refuse it and keep the app', () => {
    for (const f of LEDGER_FEATURES) {
      expect(f.purpose.length, f.id).toBeGreaterThan(10);
      expect(['yes', 'no', 'cost']).toContain(f.refusal);
      expect(f.refusalNote.length, f.id).toBeGreaterThan(5);
    }
    // What nobody who uses WeChat can refuse: the number tied to an ID, and the messages themselves.
    expect(unrefusableData().map((k) => k.id)).toEqual(['phone', 'social', 'messages']);
  });

  it('gives the criterion the essays argue from for every company Amnesty scored, and reads a zero as zero on every criterion', () => {
    expect(AMNESTY_SCORECARD).toHaveLength(11);
    for (const row of AMNESTY_SCORECARD) expect(['all', 'some', 'optional', 'none']).toContain(row.encryption);
    expect(AMNESTY_SCORECARD.filter(zeroOnEveryCriterion).map((r) => r.company)).toEqual(['Tencent']);
    // The caption's claim: every company with no end-to-end encryption at all scored 40 or less.
    expect(Math.max(...AMNESTY_SCORECARD.filter((r) => r.encryption === 'none').map((r) => r.score))).toBeLessThanOrEqual(40);
  });
});

