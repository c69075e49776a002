import { describe, expect, it } from 'vitest';
import { proseOf, readingMinutes, readingTimeLabel, wordCount, WORDS_PER_MINUTE } from '../../src/features/reading/reading-time.ts';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

describe('reading time', () => {
  it('counts prose words, not imports, components, comments or link targets', () => {
    const mdx = [
      "import MauChart from '../../src/features/reading/components/MauChart.astro';",
      '',
      'One two three [four](https://example.com/a/very/long/path).',
      '{/* figure: mau-chart */}',
      '<MauChart caption="not counted either" />',
      'Five six.[^n]',
      '',
      '[^n]: Seven.',
    ].join('\n');
    expect(wordCount(proseOf(mdx))).toBe(7);
  });

  it('rounds to whole minutes at the reading pace, and never says zero', () => {
    expect(readingMinutes(words(WORDS_PER_MINUTE * 10))).toBe(10);
    expect(readingMinutes(words(WORDS_PER_MINUTE * 2.4))).toBe(2);
    expect(readingMinutes('')).toBe(1);
    expect(readingTimeLabel(7)).toBe('7 min read');
  });

  it('counts words with apostrophes and hyphens once, and CJK runs as words', () => {
    expect(wordCount('WeChat’s super-app isn’t one thing')).toBe(5);
    expect(wordCount('微信 and 支付宝')).toBe(3);
  });
});
