import { describe, expect, it } from 'vitest';
import {
  measureCommentMarkdown,
  plainTextHtml,
  renderCommentMarkdown as render,
  tryRenderCommentMarkdown,
} from '../../src/features/discussion/markdown/markdown.ts';
import {
  deepestLineNesting,
  LIMIT_MESSAGES,
  MAX_BLOCK_NESTING,
  MAX_CONTINUATION_COST,
  MAX_EMPHASIS_MARKS,
  MAX_INLINE_NESTING,
  MAX_TOKENS,
  precheckCommentSource,
  scanCommentSource,
} from '../../src/features/discussion/markdown/limits.ts';

describe('the comment Markdown renderer', () => {
  it('renders the allowed subset: paragraphs, emphasis, code, quotes, lists', () => {
    expect(render('hi *there* **you** `x < y`')).toBe('<p>hi <em>there</em> <strong>you</strong> <code>x &#x3C; y</code></p>');
    expect(render('> quoted')).toBe('<blockquote>\n<p>quoted</p>\n</blockquote>');
    expect(render('- a\n- b')).toBe('<ul>\n<li>a</li>\n<li>b</li>\n</ul>');
    expect(render('3. c\n4. d')).toBe('<ol start="3">\n<li>c</li>\n<li>d</li>\n</ol>');
    expect(render('```\nif (a < b) {}\n```')).toBe('<pre><code>if (a &#x3C; b) {}\n</code></pre>');
    expect(render('one\n\ntwo')).toBe('<p>one</p>\n<p>two</p>');
  });

  it('links URLs and [text](url) with rel="nofollow ugc noopener", http/https/mailto only', () => {
    expect(render('see https://example.org/a?b=1')).toBe(
      '<p>see <a href="https://example.org/a?b=1" rel="nofollow ugc noopener">https://example.org/a?b=1</a></p>',
    );
    expect(render('[mail](mailto:a@example.org)')).toBe('<p><a href="mailto:a@example.org" rel="nofollow ugc noopener">mail</a></p>');
    expect(render('[x](javascript:alert(1))')).toBe('<p>x</p>');
    expect(render('[x](data:text/html,hi)')).toBe('<p>x</p>');
    expect(render('[x](/relative/path)')).toBe('<p>x</p>');
    expect(render('[x](  JaVaScRiPt:alert(1))')).not.toContain('href');
  });

  it('keeps headings, rules and raw HTML as literal text', () => {
    expect(render('# Not a heading')).toBe('<p># Not a heading</p>');
    expect(render('Title\n=====')).toBe('<p>Title\n=====</p>');
    expect(render('---')).toBe('<p>---</p>');
    expect(render('<script>alert(1)</script>')).toBe('<p>&#x3C;script>alert(1)&#x3C;/script></p>');
    expect(render('<img src=x onerror=alert(1)>')).toBe('<p>&#x3C;img src=x onerror=alert(1)></p>');
    expect(render('a <b onclick="x">b</b>')).toBe('<p>a &#x3C;b onclick="x">b&#x3C;/b></p>');
  });

  it('never produces an image', () => {
    const html = render('![alt](https://example.org/tracker.png)');
    expect(html).not.toContain('<img');
    expect(html).toContain('alt');
  });

  it('emits only allow-listed tags and attributes, whatever the input', () => {
    const nasty = [
      '<iframe src="https://evil.example"></iframe>',
      '[a](https://x.example "title") <span style="x">y</span>',
      '* [z](https://ok.example)\n\n> <svg onload=alert(1)>',
      '<a href="https://x.example" onclick="steal()">x</a>',
      '| a | b |\n| - | - |\n| 1 | 2 |',
      '~~strike~~ [^1]\n\n[^1]: note',
    ];
    for (const source of nasty) {
      const html = render(source);
      // A real tag starts with "<"; a literal one in the text is escaped as &#x3C;.
      for (const [, tag, attrs] of html.matchAll(/<([\da-z]+)((?![\da-z])[^>]*)>/g)) {
        expect(['p', 'br', 'em', 'strong', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a']).toContain(tag);
        for (const [, name] of attrs!.matchAll(/\s([a-z-]+)=/g)) expect(['href', 'rel', 'start']).toContain(name);
      }
    }
  });
});

describe('the limits, checked before any tree is built', () => {
  const nested = (marker: string, depth: number) => marker.repeat(depth) + 'x';
  const indentedList = (depth: number) => Array.from({ length: depth }, (_, d) => `${'  '.repeat(d)}- level ${d + 1}`).join('\n');
  const quotedLines = (depth: number) => Array.from({ length: depth }, (_, d) => `${'> '.repeat(d + 1)}line ${d + 1}`).join('\n');

  it(`renders quotes and lists nested ${MAX_BLOCK_NESTING} deep, and refuses one level more, whatever builds them`, () => {
    for (const build of [
      (d: number) => nested('>', d),
      (d: number) => nested('> ', d),
      (d: number) => nested('- ', d),
      (d: number) => nested('* ', d),
      (d: number) => nested('+ ', d),
      (d: number) => nested('1. ', d),
      (d: number) => nested('1) ', d),
      (d: number) => Array.from({ length: d }, (_, i) => ['> ', '- ', '1. '][i % 3]).join('') + 'x',
      indentedList,
      quotedLines,
    ]) {
      const deepest = render(build(MAX_BLOCK_NESTING));
      expect(deepest.match(/<(blockquote|ul|ol)>|<ol start/g)).toHaveLength(MAX_BLOCK_NESTING);
      expect(() => render(build(MAX_BLOCK_NESTING + 1))).toThrow(expect.objectContaining({ code: 'invalid', message: LIMIT_MESSAGES.blockNesting }));
    }
  });

  it(`renders emphasis and links nested ${MAX_INLINE_NESTING} deep, and refuses one level more`, () => {
    const emphasis = (d: number) => '*a '.repeat(d) + 'x' + ' a*'.repeat(d);
    expect(render(emphasis(MAX_INLINE_NESTING)).match(/<em>/g)).toHaveLength(MAX_INLINE_NESTING);
    expect(tryRenderCommentMarkdown(emphasis(MAX_INLINE_NESTING + 1))).toEqual({ ok: false, message: LIMIT_MESSAGES.inlineNesting });
    const mixed = '*a **b [c _d_ e](https://example.org) f** g*';
    expect(measureCommentMarkdown(mixed).inlineNesting).toBe(4);
    expect(tryRenderCommentMarkdown('*'.repeat(200) + 'x' + '*'.repeat(200))).toEqual({ ok: false, message: LIMIT_MESSAGES.inlineNesting });
  });

  it(`refuses more than ${MAX_TOKENS.toLocaleString('en')} syntax tokens; a long comment of prose is far below`, () => {
    const prose = 'It is *convenient*, and **that** is the point: see https://example.org or [the essay](https://example.org/e). `code`.\n\n> A quote.\n\n- one\n- two\n\n';
    const long = prose.repeat(Math.floor(10_000 / prose.length));
    expect(measureCommentMarkdown(long).tokens).toBeLessThan(MAX_TOKENS / 2);
    expect(tryRenderCommentMarkdown(long).ok).toBe(true);
    const items = '- a\n'.repeat(3_000);
    expect(measureCommentMarkdown(items).tokens).toBeGreaterThan(MAX_TOKENS);
    expect(tryRenderCommentMarkdown(items)).toEqual({ ok: false, message: LIMIT_MESSAGES.tokens });
  });

  it('shows a stored comment beyond the limits as its escaped text', () => {
    expect(plainTextHtml('> <b>"hi"</b> & bye')).toBe('<p>&gt; &lt;b&gt;&quot;hi&quot;&lt;/b&gt; &amp; bye</p>');
  });
});

describe('the first look at the source (deepestLineNesting)', () => {
  it('counts the quote and list markers that open a line', () => {
    expect(deepestLineNesting('plain text\n> quoted')).toBe(1);
    expect(deepestLineNesting('> > - 1. x')).toBe(4);
    expect(deepestLineNesting('>>>>x')).toBe(4);
    expect(deepestLineNesting('- * + 1) 2. x')).toBe(5);
    expect(deepestLineNesting('   >    >    - x')).toBe(3);
    expect(deepestLineNesting('>\t>\tx')).toBe(2);
    expect(deepestLineNesting('a\n\n'.repeat(3) + '> '.repeat(40))).toBe(40);
  });

  it('does not count what is not a container: text, markers without a space, indented code, fenced code', () => {
    expect(deepestLineNesting('a > b > c')).toBe(0);
    expect(deepestLineNesting('-x *y 1.z')).toBe(0);
    expect(deepestLineNesting('1234567890. ten digits is not a list')).toBe(0);
    expect(deepestLineNesting('    > > > > indented code')).toBe(0);
    expect(deepestLineNesting('>      > five spaces make code')).toBe(1);
    const mail = '> '.repeat(30) + 'an old e-mail';
    expect(deepestLineNesting('```\n' + mail + '\n```\n> after')).toBe(1);
    expect(deepestLineNesting('~~~~ text\n' + mail + '\n~~~\n' + mail + '\n~~~~\n- after')).toBe(1);
    expect(deepestLineNesting('> ```\n' + mail + '\n```\n')).toBe(1);
  });

  it('counts the * and _ outside fenced code', () => {
    expect(scanCommentSource('*a* __b__ snake_case').emphasisMarks).toBe(7);
    expect(scanCommentSource('- * item *em*').emphasisMarks).toBe(2); // the list marker is not one
    expect(scanCommentSource('```\n' + '*_'.repeat(2_000) + '\n```\n_x_').emphasisMarks).toBe(2);
  });

  it(`refuses before parsing only beyond ${MAX_BLOCK_NESTING} markers on a line or ${MAX_EMPHASIS_MARKS.toLocaleString('en')} * and _`, () => {
    expect(precheckCommentSource('*'.repeat(MAX_EMPHASIS_MARKS))).toBeNull();
    expect(precheckCommentSource('_'.repeat(MAX_EMPHASIS_MARKS + 1))).toBe(LIMIT_MESSAGES.emphasisMarks);
    expect(tryRenderCommentMarkdown('*a'.repeat(MAX_EMPHASIS_MARKS + 1))).toEqual({ ok: false, message: LIMIT_MESSAGES.emphasisMarks });
    expect(precheckCommentSource('> '.repeat(MAX_BLOCK_NESTING) + 'x')).toBeNull();
    expect(precheckCommentSource('> '.repeat(MAX_BLOCK_NESTING + 1) + 'x')).toBe(LIMIT_MESSAGES.blockNesting);
  });
});

describe('paragraphs that go on inside quotes and lists (render cost, checked before parsing)', () => {
  const cost = (source: string) => scanCommentSource(source).continuationCost;
  const lines = (n: number, line = 'a') => `${line}\n`.repeat(n);

  it('refuses the review\'s inputs (1.5–2 s each to render) before any parsing', () => {
    const slow = [
      '- '.repeat(15) + 'a\n' + lines(4900),
      ('1. '.repeat(15) + 'a\n' + lines(4900, '-a')).slice(0, 10_000),
      '> a\n' + lines(4900),
      '- a\n' + lines(4900),
    ];
    for (const source of slow) {
      expect(precheckCommentSource(source)).toBe(LIMIT_MESSAGES.continuationLines);
      expect(tryRenderCommentMarkdown(source)).toEqual({ ok: false, message: LIMIT_MESSAGES.continuationLines });
    }
  });

  it('lets real comments through: a 200-line paragraph three lists deep, long lists, quotes and code', () => {
    expect(cost('- - - start\n' + lines(199, '      continued text'))).toBe(199 ** 2);
    const passing = [
      '- - - start\n' + lines(199, '      continued text'),
      '- - - start\n' + lines(199, 'lazy text'),
      Array.from({ length: 1_000 }, (_, i) => `${i + 1}. item`).join('\n'),
      lines(2_000, '> quoted line'),
      '- a\n```\n' + lines(2_000, 'code') + '```',
      lines(3_000, 'plain prose'),
    ];
    for (const source of passing) expect(precheckCommentSource(source), source.slice(0, 30)).toBeNull();
    expect(tryRenderCommentMarkdown('- - - start\n' + lines(199, 'lazy text'))).toMatchObject({ ok: true });
  });

  it(`counts each run as its length squared, up to ${MAX_CONTINUATION_COST.toLocaleString('en')} (one run of 707 lines)`, () => {
    expect(precheckCommentSource('- a\n' + lines(707))).toBeNull();
    expect(precheckCommentSource('- a\n' + lines(708))).toBe(LIMIT_MESSAGES.continuationLines);
    // Many shorter runs add up; blank lines and new items end a run.
    expect(cost(('- a\n' + lines(300) + '\n').repeat(3))).toBe(3 * 300 ** 2);
    expect(cost(('- a\n' + lines(100)).repeat(3))).toBe(3 * 100 ** 2);
    expect(cost('- a\n' + lines(100) + '\n' + lines(100))).toBe(100 ** 2);
  });

  it('is not fooled by lines that look like a new container but continue the paragraph', () => {
    // CommonMark: an empty item and an ordered item not numbered 1 (and not the next item of a
    // list open at that column) cannot interrupt a paragraph; a backtick fence cannot have a backtick after it.
    expect(cost('- a\n' + lines(100, '-'))).toBe(100 ** 2);
    expect(cost('- a\n' + lines(100, '2) a'))).toBe(100 ** 2);
    expect(cost('- 1. a\n' + lines(100, '2. a'))).toBe(100 ** 2);
    expect(cost('1. a\n' + lines(100, '2) a'))).toBe(100 ** 2);
    expect(cost('- a\n```x`\n' + lines(99))).toBe(100 ** 2);
    // A list that goes on item by item costs nothing.
    expect(cost('1) a\n' + lines(100, '2) a'))).toBe(0);
    expect(cost('- 1. a\n' + lines(100, '  2. a'))).toBe(0);
  });
});
