import { z } from 'astro/zod';
import { describe, expect, it } from 'vitest';
import { refuse, refusalOf, Refusal } from '../../src/features/refusal.ts';
import { formPost } from '../../src/http/form-post.ts';
import { applyRefusal, refusalResponse } from '../../src/http/refusal-status.ts';

describe('applyRefusal', () => {
  it('sets the status of the code, and Retry-After when given', () => {
    const response = { status: 200, headers: new Headers() };
    applyRefusal(response, refuse('rate-limited', 'Wait.', { retryAfterSeconds: 90, field: 'password' }));
    expect(response.status).toBe(429);
    expect(response.headers.get('Retry-After')).toBe('90');
  });

  it('sends no Retry-After when there is nothing to wait for', () => {
    const response = { status: 200, headers: new Headers() };
    applyRefusal(response, refuse('conflict', 'Taken.'));
    expect(response.status).toBe(409);
    expect(response.headers.has('Retry-After')).toBe(false);
  });

  it('maps the account codes to the statuses the account pages have always answered', () => {
    const statuses = (['invalid', 'wrong-password', 'forbidden', 'conflict', 'too-large', 'unsupported', 'rate-limited'] as const).map((code) => {
      const response = { status: 200, headers: new Headers() };
      applyRefusal(response, refuse(code, '…'));
      return response.status;
    });
    expect(statuses).toEqual([400, 401, 403, 409, 413, 415, 429]);
  });
});

describe('refusalResponse', () => {
  it('answers the message as plain text, uncached, with the status', async () => {
    const response = refusalResponse(refuse('rate-limited', 'Wait a minute.', { retryAfterSeconds: 60 }));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('60');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe('Wait a minute.');
  });
});

describe('refusalOf', () => {
  it('returns a thrown Refusal and lets any other error through', () => {
    const refused = refusalOf(() => {
      throw refuse('gone', 'Gone.');
    });
    expect(refused).toBeInstanceOf(Refusal);
    expect(refused).toMatchObject({ ok: false, code: 'gone' });
    expect(refusalOf(() => 7)).toBe(7);
    expect(() => refusalOf(() => { throw new TypeError('bug'); })).toThrow(TypeError);
  });
});

describe('formPost', () => {
  const schema = z.object({ name: z.string().max(5, 'Five at most.').default(''), secret: z.string().default('') });
  const page = (method: string, body?: string) => ({
    request: new Request('http://site.test/form', { method, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    response: { status: 200, headers: new Headers() },
  });

  it('does nothing for a GET', async () => {
    let called = false;
    const get = page('GET');
    expect(await formPost(get, schema, async () => ((called = true), { ok: true as const }))).toEqual({ done: null, refusal: null, typed: {} });
    expect(called).toBe(false);
    expect(get.response.status).toBe(200);
  });

  it('hands the parsed form to the service and gives back its result', async () => {
    const post = page('POST', 'name=ada&secret=x');
    const answer = await formPost(post, schema, async (data) => ({ ok: true as const, echoed: data }));
    expect(answer.done).toEqual({ ok: true, echoed: { name: 'ada', secret: 'x' } });
    expect(answer.refusal).toBeNull();
    expect(post.response.status).toBe(200);
  });

  it('sets the status of a service refusal and keeps what was typed', async () => {
    const post = page('POST', 'name=ada&secret=x');
    const answer = await formPost(post, schema, async () => refuse('conflict', 'Taken.', { field: 'name' }));
    expect(answer).toMatchObject({ done: null, refusal: { code: 'conflict', field: 'name' }, typed: { name: 'ada' } });
    expect(post.response.status).toBe(409);
  });

  it('refuses a form the schema turns down without calling the service', async () => {
    let called = false;
    const post = page('POST', 'name=far-too-long');
    const answer = await formPost(post, schema, async () => ((called = true), { ok: true as const }));
    expect(answer).toMatchObject({ done: null, refusal: { code: 'invalid', field: 'name', message: 'Five at most.' }, typed: { name: 'far-too-long' } });
    expect(called).toBe(false);
    expect(post.response.status).toBe(400);
  });
});
