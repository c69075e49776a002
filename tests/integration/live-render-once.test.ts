// A run's deliveries render a comment's markup once per audience, however many of its events ask.
// Every event is told as the comment is now, so a catch-up over a comment hidden and restored many
// times rendered the same markup once per event (outside review). The renderer is the real one,
// wrapped only to count its calls.
import { describe, expect, it, vi } from 'vitest';
import { essayEventsBetween, latestEventSeq } from '../../db/discussion/events.ts';
import { commentHtml } from '../../src/features/discussion/comment-html.ts';
import { EssayDelivery, type Recipient } from '../../src/features/discussion/live/deliveries.ts';
import { moderate } from '../../src/features/moderation/service.ts';
import { SIGNED_OUT } from '../support/discussion-readers.ts';
import { ada, bob, db, essayOf, ESSAY, postOk, useDiscussionWorld } from '../support/discussion-world.ts';
import { makeAdmin } from '../support/moderation.ts';

vi.mock('../../src/features/discussion/comment-html.ts', async (original) => {
  const real = await original<typeof import('../../src/features/discussion/comment-html.ts')>();
  return { ...real, commentHtml: vi.fn(real.commentHtml) };
});

useDiscussionWorld();

describe('a run of events about one comment', () => {
  it('renders its markup once for each audience, and tells every event with it', async () => {
    const admin = await makeAdmin(db);
    const id = await postOk(ada, 'Hidden and restored, over and over');
    const since = latestEventSeq(db);
    for (let i = 0; i < 5; i++) {
      moderate(db, admin, { ids: [id], action: 'hide', reason: 'abuse' });
      moderate(db, admin, { ids: [id], action: 'restore' });
    }
    const events = essayEventsBetween(db, ESSAY.slug, since, latestEventSeq(db), 100);
    expect(events).toHaveLength(10);
    const delivery = new EssayDelivery(db, ESSAY.slug, events, essayOf);
    const recipients: Recipient[] = [SIGNED_OUT, bob].map((opened) => ({ opened, confirm: () => true }));
    vi.mocked(commentHtml).mockClear();
    const told = new Map<Recipient, string[]>(recipients.map((r) => [r, []]));
    for (const event of events) {
      for (const recipient of recipients) {
        const frame = await delivery.frameFor(event, recipient);
        if (frame) told.get(recipient)!.push(new TextDecoder().decode(frame));
      }
    }
    // Signed out and signed in (the like and flag buttons differ): two renderings for twenty frames.
    expect(vi.mocked(commentHtml)).toHaveBeenCalledTimes(2);
    for (const frames of told.values()) {
      expect(frames).toHaveLength(10);
      expect(frames.every((f, i) => f.startsWith(`id: ${events[i]!.seq}\nevent: comment\n`) && f.includes('Hidden and restored, over and over'))).toBe(true);
    }
    // Each audience its own rendering, never the other's.
    expect(told.get(recipients[0]!)![0]).not.toBe(told.get(recipients[1]!)![0]);
  });
});
