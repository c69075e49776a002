import { describe, expect, it } from 'vitest';
import { answerRefusal } from '../../src/http/answer-refusal.ts';

describe('answerRefusal', () => {
  it('sets the status, Retry-After when given, and returns the message and field', () => {
    const response = { status: 200, headers: new Headers() };
    expect(answerRefusal(response, { status: 429, message: 'Wait.', retryAfterSeconds: 90, field: 'password' })).toEqual({ error: 'Wait.', field: 'password' });
    expect(response.status).toBe(429);
    expect(response.headers.get('Retry-After')).toBe('90');
  });

  it('sends no Retry-After when there is nothing to wait for', () => {
    const response = { status: 200, headers: new Headers() };
    expect(answerRefusal(response, { status: 409, message: 'Taken.' })).toEqual({ error: 'Taken.', field: undefined });
    expect(response.status).toBe(409);
    expect(response.headers.has('Retry-After')).toBe(false);
  });
});
