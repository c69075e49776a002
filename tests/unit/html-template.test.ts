import { describe, expect, it } from 'vitest';
import { html, trusted } from '../../src/lib/html-template.ts';

describe('the html template', () => {
  it('escapes interpolated text in content and in attributes', () => {
    const name = `"><script>alert('x')</script>&`;
    expect(html`<a title="${name}">${name}</a>`.markup).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</a>',
    );
  });

  it('passes markup through once, never escaping it twice', () => {
    const inner = html`<em>${'a & b'}</em>`;
    expect(html`<p>${inner}</p>`.markup).toBe('<p><em>a &amp; b</em></p>');
    expect(html`<div>${trusted('<p>stored &amp; sanitised</p>')}</div>`.markup).toBe('<div><p>stored &amp; sanitised</p></div>');
  });

  it('renders nothing for null, undefined and false, numbers as digits, and lists in order', () => {
    expect(html`[${null}${undefined}${false}]`.markup).toBe('[]');
    expect(html`<li data-id="${42}">${0}</li>`.markup).toBe('<li data-id="42">0</li>');
    expect(html`<ol>${['<1>', html`<li>2</li>`, [null, '3']]}</ol>`.markup).toBe('<ol>&lt;1&gt;<li>2</li>3</ol>');
  });
});
