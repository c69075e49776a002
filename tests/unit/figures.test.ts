import * as Plot from '@observablehq/plot';
import { describe, expect, it } from 'vitest';
import { DATA_KINDS, LEDGER_FEATURES, dataForFeatures } from '../../src/lib/figures/convenience-ledger.ts';
import { LAW_TIMELINE } from '../../src/lib/figures/law-timeline.ts';
import { renderPlot } from '../../src/lib/figures/render-plot.ts';
import { FIGURES, figurePlaceholders, figuresIn, usesFigure } from '../../src/lib/figures/usage.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { ROOT } from '../support/paths.ts';
import { WECHAT_MAU } from '../../src/lib/figures/wechat-mau.ts';

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
