// What the pages say about passages: the no-script quote of a whole block, the counts as the island
// carries them (and how big they get), the markers' names, and the address of a quote in its essay.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_QUOTE_CHARS, blockText } from '../../src/features/passages/blocks.ts';
import { decodePassageCounts, encodePassageCounts, markerLabel } from '../../src/features/passages/margin-rules.ts';
import { blockNoun, parseHighlight, passageInEssayUrl, passagePageUrl, wholeBlockQuote } from '../../src/features/passages/passage-rules.ts';
import { baseBlockId } from '../../src/features/reading/essay-blocks.ts';

describe('the quote of a whole block, for a form without a script', () => {
  it('is the whole block up to 500 characters', () => {
    expect(wholeBlockQuote('A short paragraph.')).toBe('A short paragraph.');
    const exactly = 'x'.repeat(MAX_QUOTE_CHARS);
    expect(wholeBlockQuote(exactly)).toBe(exactly);
  });

  it('cuts a longer block after its last whole word within 500 characters, counting characters, not UTF-16 units', () => {
    const words = blockText('Convenience '.repeat(60));
    const quote = wholeBlockQuote(words);
    expect(quote.length).toBeLessThanOrEqual(MAX_QUOTE_CHARS);
    expect(quote.endsWith('Convenience')).toBe(true);
    expect(words.startsWith(`${quote} `)).toBe(true);
    // A word ending exactly at the limit is kept whole.
    const fitting = `${'a'.repeat(499)}b ${'c'.repeat(20)}`;
    expect(wholeBlockQuote(fitting)).toBe(`${'a'.repeat(499)}b`);
    // Emoji are one character each, two UTF-16 units.
    const emoji = `${'😀'.repeat(300)} ${'😀'.repeat(300)}`;
    expect([...wholeBlockQuote(emoji)].length).toBe(300);
    // No space at all: cut at the limit.
    expect([...wholeBlockQuote('z'.repeat(900))].length).toBe(MAX_QUOTE_CHARS);
  });

  it('is, for any block text, a start of it of at most 500 characters that ends where a word does', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom('a', 'z', 'é', '😀'), { minLength: 1, maxLength: 30 }).map((c) => c.join('')), { minLength: 1, maxLength: 80 }), (words) => {
        const text = words.join(' ');
        const quote = wholeBlockQuote(text);
        expect([...quote].length).toBeLessThanOrEqual(MAX_QUOTE_CHARS);
        expect(text.startsWith(quote)).toBe(true);
        expect(quote.length).toBeGreaterThan(0);
        if (quote !== text && text.slice(0, quote.length + 1).includes(' ')) expect(text[quote.length]).toBe(' ');
      }),
    );
  });
});

describe('the counts the island carries', () => {
  const ids = Array.from({ length: 100 }, (_, i) => baseBlockId('paragraph', `Paragraph number ${i} of an essay that is discussed.`));

  it('encode and decode to the same counts, leaving out zeros and anything malformed', () => {
    const counts = new Map([[ids[0]!, 3], [ids[1]!, 1], [ids[2]!, 0]]);
    const encoded = encodePassageCounts(counts);
    expect(encoded).toBe([`${ids[0]}:3`, `${ids[1]}:1`].sort().join(','));
    expect(decodePassageCounts(encoded)).toEqual(new Map([[ids[0]!, 3], [ids[1]!, 1]]));
    expect(decodePassageCounts(`${ids[0]}:2,junk,:4,${ids[1]}:-1,${ids[2]}:x,${ids[3]}:0,`)).toEqual(new Map([[ids[0]!, 2]]));
    expect(decodePassageCounts(null)).toEqual(new Map());
  });

  it('stay within 2 KB for 1,000 comments on 100 passages, however they are spread', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(99), { minLength: 1000, maxLength: 1000 }), (placed) => {
        const counts = new Map<string, number>();
        for (const at of placed) counts.set(ids[at]!, (counts.get(ids[at]!) ?? 0) + 1);
        const attribute = ` data-passage-counts="${encodePassageCounts(counts)}"`;
        expect(Buffer.byteLength(attribute)).toBeLessThanOrEqual(2048);
      }),
      { numRuns: 50 },
    );
    // The worst spread: 100 passages, counts of up to four digits.
    const heavy = new Map(ids.map((id, i) => [id, i === 0 ? 1000 : 10]));
    expect(encodePassageCounts(heavy).length).toBeLessThan(1_600);
  });
});

describe('markers and addresses', () => {
  it('names a marker by its block’s kind and count', () => {
    expect(markerLabel(blockNoun('p-0k3x9a2m'), 0)).toBe('Discuss this paragraph');
    expect(markerLabel(blockNoun('fc-0k3x9a2m'), 1)).toBe('1 comment on this caption');
    expect(markerLabel(blockNoun('li-0k3x9a2m-2'), 1234)).toBe('1,234 comments on this list item');
    expect(markerLabel(blockNoun('td-0k3x9a2m'), 3)).toBe('3 comments on this table cell');
    expect(markerLabel(blockNoun('q-0k3x9a2m'), 2)).toBe('2 comments on this quotation');
    // The page's script reads the noun back from the name the build gave.
    expect(markerLabel('list item', 0).split(' this ')[1]).toBe('list item');
  });

  it('makes the passage page’s address and a quote’s address in its essay, and reads the highlight back', () => {
    expect(passagePageUrl('wechat-app-for-everything', 'p-0k3x9a2m')).toBe('/discussion/wechat-app-for-everything/?passage=p-0k3x9a2m');
    const url = passageInEssayUrl('wechat-app-for-everything', { block: 'p-0k3x9a2m', start: 12, end: 40 });
    expect(url).toBe('/essays/wechat-app-for-everything/?hl=12-40#p-0k3x9a2m');
    expect(parseHighlight(new URL(url, 'http://x').searchParams.get('hl'))).toEqual({ start: 12, end: 40 });
    for (const bad of [null, '', '12', '40-12', '3-3', '-1-4', '1-2-3', 'a-b', '1-9999999']) expect(parseHighlight(bad), String(bad)).toBeNull();
  });
});
