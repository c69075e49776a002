import { describe, expect, it } from 'vitest';
import { canEdit, checkBody, isDiscussionClosed, parsePage, rateLimitWait } from '../../src/features/discussion/rules.ts';
import { relativeTime } from '../../src/features/discussion/relative-time.ts';

describe('the discussion rules', () => {
  it('refuses empty, whitespace-only and over-long bodies, counting characters not UTF-16 units', () => {
    expect(checkBody('')).toMatchObject({ ok: false });
    expect(checkBody(' \n\t ')).toMatchObject({ ok: false, message: expect.stringContaining('empty') });
    expect(checkBody(undefined)).toMatchObject({ ok: false });
    expect(checkBody('x'.repeat(10_000))).toMatchObject({ ok: true });
    expect(checkBody('x'.repeat(10_001))).toMatchObject({ ok: false, message: expect.stringContaining('10,001') });
    expect(checkBody('😀'.repeat(10_000))).toMatchObject({ ok: true });
    expect(checkBody('a\r\nb  \n')).toEqual({ ok: true, body: 'a\nb' });
  });

  it('lets a moderator’s setting override the front matter', () => {
    expect(isDiscussionClosed(null, 'open')).toBe(false);
    expect(isDiscussionClosed(null, 'closed')).toBe(true);
    expect(isDiscussionClosed(true, 'open')).toBe(true);
    expect(isDiscussionClosed(false, 'closed')).toBe(false);
  });

  it('allows edits for 15 minutes', () => {
    expect(canEdit(0, 15 * 60_000)).toBe(true);
    expect(canEdit(0, 15 * 60_000 + 1)).toBe(false);
  });

  it('waits out 5 comments a minute and 30 an hour', () => {
    const now = 10_000_000;
    expect(rateLimitWait([now - 1000, now - 2000, now - 3000, now - 4000], now)).toBe(0);
    expect(rateLimitWait([now - 1000, now - 2000, now - 3000, now - 4000, now - 50_000], now)).toBe(10);
    const hour = Array.from({ length: 30 }, (_, i) => now - 120_000 - i * 1000);
    expect(rateLimitWait(hour, now)).toBe(3600 - 120 - 29);
  });

  it('reads junk page numbers as page 1', () => {
    expect(parsePage('3')).toBe(3);
    for (const junk of ['0', '-1', '1.5', 'abc', '', null, '1e9']) expect(parsePage(junk)).toBe(1);
  });

  it('says how long ago, in words', () => {
    expect(relativeTime(0, 30_000)).toBe('just now');
    expect(relativeTime(0, 3 * 3_600_000)).toBe('3 hours ago');
    expect(relativeTime(0, 86_400_000)).toBe('yesterday');
  });
});

describe('absolute times', () => {
  it('reads as a date and a UTC time', async () => {
    const { absoluteTime } = await import('../../src/features/discussion/relative-time.ts');
    expect(absoluteTime(Date.UTC(2026, 10, 22, 8, 5))).toBe('22 November 2026, 08:05 UTC');
  });
});
