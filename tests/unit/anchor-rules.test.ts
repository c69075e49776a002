// Anchoring a comment to a passage: making an anchor from a selection, checking one a reader sends,
// and finding it again after the essay is edited, without ever moving it to the wrong sentence.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anchorAt, anchorFor, locate, validateAnchor, type Anchor, type Location } from '../../src/features/passages/anchor-rules.ts';
import { CONTEXT_CHARS, MAX_QUOTE_CHARS, blockText, type Block, type BlockKind, type EssayPassages } from '../../src/features/passages/blocks.ts';
import { Refusal } from '../../src/features/refusal.ts';
import { blockIds, essayVersion } from '../../src/features/reading/essay-blocks.ts';

/** An essay as the index holds it, with ids made as the build makes them. */
function essayOf(texts: readonly (string | [BlockKind, string])[]): EssayPassages {
  const parts = texts.map((t) => (typeof t === 'string' ? { kind: 'paragraph' as const, text: blockText(t) } : { kind: t[0], text: blockText(t[1]) }));
  const ids = blockIds(parts);
  const blocks: Block[] = parts.map((p, i) => ({ id: ids[i]!, ...p }));
  return { version: essayVersion(blocks), blocks };
}

/** The anchor a reader makes by selecting `words` (the nth time they stand) in block `i`. */
function anchorOn(essay: EssayPassages, i: number, words: string, nth = 0): Anchor {
  const block = essay.blocks[i]!;
  let at = -1;
  for (let n = 0; n <= nth; n++) at = block.text.indexOf(words, at + 1);
  if (at < 0) throw new Error(`"${words}" is not in block ${i}`);
  const made = anchorAt(block, at, at + words.length, essay.version);
  if (!made.ok) throw made;
  return made.anchor;
}

const refusal = (outcome: unknown) => (outcome instanceof Refusal ? { code: outcome.code, field: outcome.field, message: outcome.message } : outcome);

const GROWTH = 'WeChat passed 100 million registered accounts in March 2012, fourteen months after launch; Tencent’s chief executive announced it in a one-line post.';
const SHAPE = 'Two things in that line matter for this essay. The first is its shape. Until 2018 the app added around a hundred million accounts a year.';
const JOIN = 'None of WeChat’s data, taken alone, is unusual. Banks know what you spend. What is unusual is the join.';
const CLOSING = 'It slowed because there were few people left to join.';
const ESSAY = essayOf([GROWTH, SHAPE, JOIN, CLOSING]);

describe('making an anchor', () => {
  it('keeps the quoted words and up to 32 characters either side, within the block', () => {
    const made = anchorAt(ESSAY.blocks[1]!, SHAPE.indexOf('The first'), SHAPE.indexOf(' Until'), ESSAY.version);
    expect(made).toEqual({
      ok: true,
      start: SHAPE.indexOf('The first'),
      end: SHAPE.indexOf(' Until'),
      anchor: { block: ESSAY.blocks[1]!.id, exact: 'The first is its shape.', prefix: SHAPE.slice(SHAPE.indexOf('The first') - 32, SHAPE.indexOf('The first')), suffix: ' Until 2018 the app added around', version: ESSAY.version },
    });
    const atStart = anchorOn(ESSAY, 3, 'It slowed');
    expect(atStart.prefix).toBe('');
    expect(atStart.suffix).toBe(' because there were few people l');
    expect(anchorOn(ESSAY, 3, 'left to join.').suffix).toBe('');
  });

  it('leaves out white space at the ends, and refuses an empty, reversed, outside or over-long selection', () => {
    const block = ESSAY.blocks[3]!;
    const made = anchorAt(block, 2, 10, 'v');
    expect(made.ok && made.anchor.exact).toBe('slowed');
    expect(made.ok && [made.start, made.end]).toEqual([3, 9]);
    expect(refusal(anchorAt(block, 2, 3, 'v'))).toMatchObject({ code: 'invalid', field: 'quote', message: expect.stringMatching(/empty/) });
    expect(refusal(anchorAt(block, 5, 4, 'v'))).toMatchObject({ code: 'invalid', field: 'quote' });
    expect(refusal(anchorAt(block, -1, 4, 'v'))).toMatchObject({ code: 'invalid' });
    expect(refusal(anchorAt(block, 0, block.text.length + 1, 'v'))).toMatchObject({ code: 'invalid' });
    expect(refusal(anchorAt(block, 0.5, 4, 'v'))).toMatchObject({ code: 'invalid' });
    const long = essayOf(['word '.repeat(120)]).blocks[0]!;
    expect(anchorAt(long, 0, MAX_QUOTE_CHARS, 'v').ok).toBe(true);
    expect(refusal(anchorAt(long, 0, MAX_QUOTE_CHARS + 1, 'v'))).toMatchObject({ code: 'invalid', field: 'quote', message: expect.stringMatching(/at most 500 characters; this one has 501/) });
  });

  it('counts the limit and the context in characters, and never cuts one in half', () => {
    const emoji = essayOf(['😀'.repeat(600)]).blocks[0]!;
    expect(anchorAt(emoji, 0, 1000, 'v').ok).toBe(true); // 500 characters, 1,000 UTF-16 units
    const inside = anchorAt(emoji, 101, 121, 'v');
    expect(inside.ok && [inside.start, inside.end]).toEqual([100, 122]);
    expect(inside.ok && [...inside.anchor.prefix].length).toBe(CONTEXT_CHARS);
    expect(inside.ok && inside.anchor.prefix).toBe('😀'.repeat(32));
  });
});

describe('checking an anchor a reader sends', () => {
  const twice = essayOf(['The price is convenience. Some pay it gladly; the price is convenience, others say.']);

  it('makes the anchor itself, on the essay as it stands, from the block and the words', () => {
    expect(validateAnchor({ block: ESSAY.blocks[2]!.id, exact: '  Banks know\n what you spend. ' }, ESSAY)).toEqual({
      ok: true,
      start: JOIN.indexOf('Banks'),
      end: JOIN.indexOf(' What'),
      anchor: anchorOn(ESSAY, 2, 'Banks know what you spend.'),
    });
  });

  it('tells repeated words in a block apart by the context sent with them, and takes the first without any', () => {
    const block = twice.blocks[0]!.id;
    const second = anchorOn(twice, 0, 'price is convenience', 1);
    const sent = validateAnchor({ block, exact: 'price is convenience', prefix: 'Some pay it gladly; the ', suffix: ', others say.' }, twice);
    expect(sent.ok && sent.start).toBe(twice.blocks[0]!.text.lastIndexOf('price is convenience'));
    expect(sent.ok && sent.anchor).toEqual(second);
    const first = validateAnchor({ block, exact: 'price is convenience', prefix: 'The ', suffix: '. Some pay' }, twice);
    expect(first.ok && first.start).toBe(4);
    const none = validateAnchor({ block, exact: 'price is convenience' }, twice);
    expect(none.ok && none.start).toBe(4);
  });

  it('refuses a block the essay does not have, words not in the block, and a quote too long or empty', () => {
    expect(refusal(validateAnchor({ block: 'p-00000000', exact: 'Banks' }, ESSAY))).toMatchObject({ code: 'invalid', field: 'passage' });
    expect(refusal(validateAnchor({ block: '<script>', exact: 'Banks' }, ESSAY))).toMatchObject({ code: 'invalid', field: 'passage' });
    expect(refusal(validateAnchor({ block: ESSAY.blocks[0]!.id, exact: 'Banks know' }, ESSAY))).toMatchObject({ code: 'invalid', field: 'quote', message: expect.stringMatching(/not in that passage/) });
    expect(refusal(validateAnchor({ block: ESSAY.blocks[0]!.id, exact: ' \n ' }, ESSAY))).toMatchObject({ code: 'invalid', field: 'quote' });
    const long = essayOf(['word '.repeat(200)]);
    expect(refusal(validateAnchor({ block: long.blocks[0]!.id, exact: 'word '.repeat(101) }, long))).toMatchObject({ code: 'invalid', field: 'quote', message: expect.stringMatching(/at most 500/) });
  });
});

describe('finding an anchor again', () => {
  const quote = 'fourteen months after launch';
  const anchor = anchorOn(ESSAY, 0, quote);

  it('finds it exactly in its own block, whatever happened around it: blocks added, removed, reordered', () => {
    const edited = essayOf([JOIN, 'A new paragraph before it.', CLOSING, GROWTH]);
    expect(locate(anchor, edited)).toEqual({ status: 'exact', block: anchor.block, start: GROWTH.indexOf(quote), end: GROWTH.indexOf(quote) + quote.length, quote });
  });

  it('resolves a sentence that stands twice in its block by the words around it', () => {
    const twice = essayOf(['The price is convenience. Some pay it gladly; the price is convenience, others say.']);
    const first = anchorOn(twice, 0, 'price is convenience', 0);
    const second = anchorOn(twice, 0, 'price is convenience', 1);
    expect(locate(first, twice)).toMatchObject({ status: 'exact', start: 4 });
    expect(locate(second, twice)).toMatchObject({ status: 'exact', start: twice.blocks[0]!.text.lastIndexOf('price is convenience') });
    // Still told apart after the block is edited (and so has a new id).
    const edited = essayOf(['The price is convenience. Many pay it gladly; the price is convenience, others say.']);
    expect(locate(second, edited)).toMatchObject({ status: 'moved', block: edited.blocks[0]!.id, start: edited.blocks[0]!.text.lastIndexOf('price is convenience') });
    expect(locate(first, edited)).toMatchObject({ status: 'moved', start: 4 });
  });

  it('follows the words, unchanged, into their block after an edit elsewhere in it: moved', () => {
    const edited = essayOf([GROWTH.replace('one-line post', 'short post'), SHAPE, JOIN, CLOSING]);
    const found = locate(anchor, edited);
    expect(found).toEqual({ status: 'moved', block: edited.blocks[0]!.id, start: GROWTH.indexOf(quote), end: GROWTH.indexOf(quote) + quote.length, quote });
    expect(edited.blocks[0]!.id).not.toBe(anchor.block);
  });

  it('finds lightly reworded words approximately, where they now stand', () => {
    const long = anchorOn(ESSAY, 1, 'Until 2018 the app added around a hundred million accounts a year.');
    const edited = essayOf([GROWTH, SHAPE.replace('around', 'roughly'), JOIN, CLOSING]);
    const found = locate(long, edited);
    expect(found).toMatchObject({ status: 'approximate', block: edited.blocks[1]!.id });
    expect(found.status !== 'detached' && found.quote).toBe('Until 2018 the app added roughly a hundred million accounts a year.');
  });

  it('detaches it when its paragraph is deleted, though a similar sentence stands elsewhere', () => {
    const similar = 'WeChat passed 1.1 billion monthly accounts in December 2018, seven years after launch; Tencent’s chief executive did not announce it.';
    const whole = anchorOn(ESSAY, 0, GROWTH);
    const edited = essayOf([similar, SHAPE, JOIN, CLOSING]);
    expect(locate(whole, edited)).toEqual({ status: 'detached' });
    expect(locate(anchor, edited)).toEqual({ status: 'detached' });
    expect(locate(anchor, essayOf([SHAPE, JOIN, CLOSING]))).toEqual({ status: 'detached' });
  });

  it('detaches a passage rewritten beyond recognition', () => {
    const long = anchorOn(ESSAY, 1, 'Until 2018 the app added around a hundred million accounts a year.');
    const edited = essayOf([GROWTH, 'Two things matter here. Its shape first: growth of about a hundred million a year came to an end after 2018.', JOIN, CLOSING]);
    expect(locate(long, edited)).toEqual({ status: 'detached' });
  });

  it('does not move a short quote to the same word in another sentence', () => {
    const word = anchorOn(ESSAY, 3, 'join');
    expect(locate(word, essayOf([GROWTH, SHAPE, JOIN]))).toEqual({ status: 'detached' });
    // A whole short block does not move into the middle of another one either.
    const item = essayOf([['item', 'Money.'], 'Friends, Money. Place.']);
    expect(locate(anchorOn(item, 0, 'Money.'), essayOf(['Friends, Money. Place.']))).toEqual({ status: 'detached' });
  });

  it('detaches rather than choose between two places that fit equally well', () => {
    const sentence = 'What is unusual about WeChat is not any one kind of data but the join between them.';
    const once = essayOf([`Banks know. ${sentence}`, 'Other words.']);
    const a = anchorOn(once, 0, sentence);
    // The paragraph became two, each keeping the sentence after the same words.
    const split = essayOf([`Banks know. ${sentence} Operators too.`, `Banks know. ${sentence} Shops too.`]);
    expect(locate(a, split)).toEqual({ status: 'detached' });
    // With one of them only, there is no doubt.
    expect(locate(a, essayOf([`Banks know. ${sentence} Operators too.`, 'Other words.']))).toMatchObject({ status: 'moved' });
  });

  it('detaches words of which more than a fifth was changed, even where their surroundings still match', () => {
    const words = 'the app added around a hundred million accounts';
    const a = anchorOn(ESSAY, 1, words);
    const changed = (replacement: string) => locate(a, essayOf([GROWTH, SHAPE.replace(words, replacement), JOIN, CLOSING]));
    expect(changed('the app added about a hundred million accounts')).toMatchObject({ status: 'approximate' }); // 5 of 47
    expect(changed('the app added nearly a hundred million users')).toEqual({ status: 'detached' }); // 12 of 47
    expect(changed('the app gained some one hundred million users')).toEqual({ status: 'detached' }); // 17 of 47
  });

  it('rolls an anchor forward to where it was found', () => {
    const edited = essayOf([GROWTH.replace('one-line post', 'short post'), SHAPE]);
    const found = locate(anchor, edited) as Extract<Location, { block: string }>;
    expect(anchorFor(found, edited)).toEqual({ ...anchorOn(edited, 0, quote), version: edited.version });
    expect(anchorFor({ ...found, block: 'p-00000000' }, edited)).toBeNull();
  });
});

// ---------- properties ----------

const WORDS = ['wechat', 'privacy', 'convenience', 'account', 'payment', 'message', 'tencent', 'friends', 'money', 'place', 'speech', 'real', 'name', 'app', 'data', 'knows', 'bargain', 'users', 'worry', 'share', 'china', 'law', 'state', 'market', 'labour', 'value', 'profit', 'report', 'scan', 'code'];
const OTHER_WORDS = ['harbour', 'violin', 'meadow', 'glacier', 'lantern', 'orchard', 'pebble', 'thunder', 'velvet', 'quiver', 'zephyr', 'juniper'];
/**
 * Sentences of distinct words, each block with words of its own (a suffix per block): text in which
 * no passage stands twice, so the one right place to find a passage is known.
 */
const sentence = (words: readonly string[], suffix: string) => fc.shuffledSubarray([...words], { minLength: 8 }).map((w) => `${w.map((x) => x + suffix).join(' ')}.`);
const essayTexts = fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, j) => sentence(WORDS, `${'abcdef'[j]}`))));

/** An essay of any text at all, one of its blocks, and a selection in it. */
const anySelection = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 700 }), fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n'), minLength: 1, maxLength: 200 }), sentence(WORDS, '')), { minLength: 1, maxLength: 4 })
  .filter((texts) => texts.every((t) => blockText(t) !== ''))
  .chain((texts) => {
    const essay = essayOf(texts);
    return fc.nat({ max: essay.blocks.length - 1 }).chain((i) => {
      const { length } = essay.blocks[i]!.text;
      return fc
        .nat({ max: length - 1 })
        .chain((start) => fc.integer({ min: start + 1, max: Math.min(length, start + MAX_QUOTE_CHARS + 20) }))
        .chain((end) => fc.nat({ max: end - 1 }).map((start) => ({ essay, block: essay.blocks[i]!, start, end })));
    });
  });

/** An independent edit distance, to check what the matcher found. */
function levenshtein(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

const edit = fc.record({ at: fc.nat(), kind: fc.constantFrom('insert', 'delete', 'replace'), char: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz,') });

function applyEdits(text: string, edits: readonly { at: number; kind: string; char: string }[]): string {
  let out = text;
  for (const { at, kind, char } of edits) {
    const i = at % (out.length + 1);
    if (kind === 'insert') out = out.slice(0, i) + char + out.slice(i);
    else if (kind === 'delete') out = out.slice(0, i) + out.slice(i + 1);
    else out = out.slice(0, i) + char + out.slice(i + 1);
  }
  return out;
}

describe('anchoring, for any text', () => {
  it('anchors any selection of up to 500 characters of a block, and finds it there exactly', () => {
    fc.assert(
      fc.property(anySelection, ({ essay, block, start, end }) => {
        const made = anchorAt(block, start, end, essay.version);
        const selected = block.text.slice(start, end).trim();
        // Only a blank or over-long selection is refused.
        expect(made.ok).toBe(selected !== '' && [...selected].length <= MAX_QUOTE_CHARS);
        if (!made.ok) return;
        expect(made.anchor.exact).toBe(block.text.slice(made.start, made.end));
        // The reader's script sends it back: the server makes the same anchor, at that place or
        // at one no context could tell from it.
        const checked = validateAnchor({ block: block.id, exact: made.anchor.exact, prefix: made.anchor.prefix, suffix: made.anchor.suffix }, essay);
        expect(checked.ok && checked.anchor).toEqual(made.anchor);
        const found = locate(made.anchor, essay);
        expect(found).toMatchObject({ status: 'exact', block: block.id, quote: made.anchor.exact });
        if (found.status === 'detached') return;
        const there = anchorAt(block, found.start, found.end, essay.version);
        expect(there.ok && there.anchor).toEqual(made.anchor);
      }),
      { numRuns: 500 },
    );
  });

  it('finds a passage again after a few characters of its block are changed', () => {
    fc.assert(
      fc.property(essayTexts, fc.nat(), fc.nat(), fc.nat(), fc.array(edit, { minLength: 1, maxLength: 3 }), (texts, pick, a, b, edits) => {
        const essay = essayOf(texts);
        const i = pick % essay.blocks.length;
        const text = essay.blocks[i]!.text;
        const start = a % (text.length - 30);
        const made = anchorAt(essay.blocks[i]!, start, Math.min(text.length, start + 30 + (b % 300)), essay.version);
        if (!made.ok) throw made;
        const edited = essayOf(essay.blocks.map((block, j) => (j === i ? applyEdits(text, edits) : block.text)));
        const found = locate(made.anchor, edited);
        expect(found.status).not.toBe('detached');
        if (found.status === 'detached') return;
        expect(found.block).toBe(edited.blocks[i]!.id);
        expect(levenshtein(found.quote, made.anchor.exact)).toBeLessThanOrEqual(edits.length);
      }),
      { numRuns: 500 },
    );
  });

  it('detaches a passage whose paragraph was replaced', () => {
    fc.assert(
      fc.property(essayTexts, fc.nat(), fc.nat(), fc.nat(), sentence(OTHER_WORDS, ''), (texts, pick, a, b, replacement) => {
        const essay = essayOf(texts);
        const i = pick % essay.blocks.length;
        const text = essay.blocks[i]!.text;
        const start = a % text.length;
        const made = anchorAt(essay.blocks[i]!, start, start + 1 + (b % (text.length - start)), essay.version);
        fc.pre(made.ok);
        if (!made.ok) return;
        const edited = essayOf(essay.blocks.map((block, j) => (j === i ? replacement : block.text)));
        expect(locate(made.anchor, edited)).toEqual({ status: 'detached' });
      }),
      { numRuns: 500 },
    );
  });
});
