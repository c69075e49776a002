// An essay's front matter, as the collection schema (src/content.config.ts) checks it. Kept apart
// from the collection so that the rules can be tested without building the site.
import { z } from 'astro/zod';
import { CORRECTION_ID } from './essay-corrections.ts';

/**
 * One entry of an essay's "Updates and corrections": when, what changed and why. The id is the
 * entry's permanent anchor (on the essay and at /corrections), so it is written once and never
 * changed: the day it was made, then a few words.
 */
export const correctionSchema = z
  .object({
    id: z.string().regex(CORRECTION_ID, 'a correction id is its date, then lower-case words joined by hyphens: 2026-11-28-account-deletion'),
    date: z.coerce.date(),
    change: z.string().min(20),
    reason: z.string().min(20),
  })
  .refine((c) => c.id.startsWith(c.date.toISOString().slice(0, 10)), { message: 'a correction id starts with its own date', path: ['id'] });

export const essaySchema = z
  .object({
    title: z.string().min(1),
    summary: z.string().min(1),
    published: z.coerce.date(),
    updated: z.coerce.date().optional(),
    tags: z.array(z.string().min(1)).default([]),
    related: z.array(z.string().min(1)).default([]),
    discussion: z.enum(['open', 'closed']).default('open'),
    /** Where the essay stands in the series' argument: part 1 comes first. */
    part: z.number().int().positive().optional(),
    corrections: z.array(correctionSchema).default([]),
  })
  .refine((e) => e.corrections.every((c) => c.date >= e.published), { message: 'a correction cannot predate the essay', path: ['corrections'] })
  .refine((e) => new Set(e.corrections.map((c) => c.id)).size === e.corrections.length, { message: 'correction ids must be unique', path: ['corrections'] })
  // The date under the title says when the essay last changed: never before its latest correction.
  .refine((e) => e.corrections.every((c) => e.updated !== undefined && e.updated >= c.date), { message: 'updated must be on or after the latest correction', path: ['updated'] });
