import { describe, expect, it } from 'vitest';
import { FORM_LIMIT, formOf, readForm } from '../../src/http/form-body.ts';

const post = (body: BodyInit, type = 'application/x-www-form-urlencoded', headers: Record<string, string> = {}) =>
  new Request('http://site.test/signin', { method: 'POST', body, headers: { 'content-type': type, ...headers } });

describe('readForm', () => {
  it('reads url-encoded and multipart forms', async () => {
    const encoded = await readForm(post('username=ada&password=p%26ss'));
    expect(encoded.ok && [encoded.fields.text('username'), encoded.fields.text('password'), encoded.fields.text('missing')]).toEqual(['ada', 'p&ss', '']);
    const data = new FormData();
    data.set('username', 'grace');
    const multipart = await readForm(new Request('http://site.test/', { method: 'POST', body: data }));
    expect(multipart.ok && multipart.fields.text('username')).toBe('grace');
  });

  it('treats a file where text belongs as missing', async () => {
    const data = new FormData();
    data.set('username', new Blob(['ada']), 'name.txt');
    const result = await readForm(new Request('http://site.test/', { method: 'POST', body: data }));
    expect(result.ok && result.fields.text('username')).toBe('');
  });

  it('refuses other content types with 415', async () => {
    expect(await readForm(post('{"username":"ada"}', 'application/json'))).toMatchObject({ ok: false, code: 'unsupported' });
    expect(await readForm(post('username=ada', 'text/plain'))).toMatchObject({ ok: false, code: 'unsupported' });
  });

  it('refuses an oversized body with 413, declared or not', async () => {
    const big = 'a='.concat('x'.repeat(FORM_LIMIT));
    expect(await readForm(post(big))).toMatchObject({ ok: false, code: 'too-large' });
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 200; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1000)));
        controller.close();
      },
    });
    const undeclared = new Request('http://site.test/', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      duplex: 'half',
    } as RequestInit);
    expect(await readForm(undeclared)).toMatchObject({ ok: false, code: 'too-large' });
  });

  it('refuses a malformed multipart body with 400', async () => {
    expect(await readForm(post('not multipart at all', 'multipart/form-data; boundary=xyz'))).toMatchObject({ ok: false, code: 'invalid' });
  });
});

describe('multipart forms', () => {
  it('reads a multipart body whose boundary has capitals', async () => {
    // As Chromium sends it: the boundary is case-sensitive and has capitals.
    const boundary = '----WebKitFormBoundaryAbC123xYz';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\nHello\r\n--${boundary}--\r\n`;
    const form = await readForm(post(body, `multipart/form-data; boundary=${boundary}`));
    expect(form.ok && form.fields.text('body')).toBe('Hello');
  });
});

describe('readForm: repeated fields and giving a form back', () => {
  it('reads every value of a repeated field, and all text fields at once', async () => {
    const body = 'ids=3&ids=5&action=spam&note=a%26b';
    const result = await readForm(new Request('http://site.test/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }));
    expect(result.ok && result.fields.all('ids')).toEqual(['3', '5']);
    expect(result.ok && result.fields.all('missing')).toEqual([]);
    expect(result.ok && result.fields.values()).toEqual({ ids: '5', action: 'spam', note: 'a&b' });
  });
});

describe('formOf, a form read whole', () => {
  it('reads urlencoded bodies field for field as the fetch standard\'s FormData does', async () => {
    const bodies = [
      'a=1&b=2&a=3',
      'body=%E4%BD%A0%E5%A5%BD+world&x=%2B%26%3D',
      '&&=&a&b=&=c&d==e',
      'q=100%&r=%zz&s=%2',
      'emoji=%F0%9F%98%80&plain=caf\u00e9',
      '',
    ];
    for (const text of bodies) {
      const bytes = new TextEncoder().encode(text);
      for (const type of ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=UTF-8']) {
        const read = await formOf(bytes, type);
        const standard = await new Response(bytes, { headers: { 'content-type': type } }).formData();
        const names = [...new Set([...standard.keys(), 'missing'])];
        expect(read.ok && names.map((name) => [read.fields.text(name), read.fields.all(name)])).toEqual(
          names.map((name) => [(standard.get(name) as string | null) ?? '', standard.getAll(name)]),
        );
        expect(read.ok && read.fields.values()).toEqual(Object.fromEntries(standard));
      }
    }
  });
});
