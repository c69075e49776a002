import { describe, expect, it } from 'vitest';
import { renderCommentMarkdown as render } from '../../src/lib/comment-markdown.ts';

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
