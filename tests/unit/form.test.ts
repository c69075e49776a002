// The one form reader: body limits from form-body.ts, fields through a zod schema, typed values kept.
import { z } from 'astro/zod';
import { describe, expect, it } from 'vitest';
import { idField, parseForm, parseId, textField } from '../../src/http/form.ts';

const post = (body: string, type = 'application/x-www-form-urlencoded') =>
  new Request('http://site.test/', { method: 'POST', body, headers: { 'content-type': type } });
const schema = z.object({ id: idField(), note: textField(10, 'The note can be at most 10 characters.'), ids: z.array(idField()).max(3) });

describe('parseForm', () => {
  it('parses fields through the schema, repeated fields as arrays', async () => {
    const form = await parseForm(post('id=12&note=hi&ids=1&ids=2'), schema);
    expect(form).toEqual({ ok: true, data: { id: 12, note: 'hi', ids: [1, 2] }, typed: { id: '12', note: 'hi', ids: '2' } });
  });

  it('refuses a bad field by name and keeps what was typed', async () => {
    const form = await parseForm(post('id=12&note=far+too+long+a+note'), schema);
    expect(form.ok).toBe(false);
    if (!form.ok) {
      expect(form.refusal).toMatchObject({ code: 'invalid', field: 'note', message: 'The note can be at most 10 characters.' });
      expect(form.typed.note).toBe('far too long a note');
    }
  });

  it('refuses ids that are not positive safe integers', async () => {
    for (const id of ['0', '-1', '1e3', '9007199254740993', 'abc', '', '01']) {
      const form = await parseForm(post(`id=${encodeURIComponent(id)}`), schema);
      expect(form.ok, id).toBe(false);
    }
    expect(parseId('42')).toBe(42);
    expect(parseId('4.2')).toBeNull();
    expect(parseId(undefined)).toBeNull();
  });

  it('passes on the body reader\'s refusals', async () => {
    expect(await parseForm(post('{}', 'application/json'), schema)).toMatchObject({ ok: false, refusal: { code: 'unsupported' } });
  });
});
