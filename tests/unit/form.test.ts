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

  it('reads a page of several forms told apart by a field, each with its own fields and arrays', async () => {
    const forms = z.discriminatedUnion(
      'action',
      [z.object({ action: z.literal('pick'), ids: z.array(idField()) }), z.object({ action: z.literal('name'), name: textField(5) })],
      'Choose one of the actions this page offers.',
    );
    expect(await parseForm(post('action=pick&ids=3&ids=4'), forms)).toMatchObject({ ok: true, data: { action: 'pick', ids: [3, 4] } });
    expect(await parseForm(post('action=name&name=Ada'), forms)).toMatchObject({ ok: true, data: { action: 'name', name: 'Ada' } });
    const unknown = await parseForm(post('action=burn&name=x'), forms);
    expect(unknown).toMatchObject({ ok: false, refusal: { code: 'invalid', field: 'action', message: 'Choose one of the actions this page offers.' }, typed: { action: 'burn', name: 'x' } });
  });

  it('passes on the body reader\'s refusals', async () => {
    expect(await parseForm(post('{}', 'application/json'), schema)).toMatchObject({ ok: false, refusal: { code: 'unsupported' } });
  });
});
