import { glob } from 'astro/loaders';
import { defineCollection } from 'astro:content';
import { z } from 'astro/zod';

const essays = defineCollection({
  loader: glob({ base: './content/essays', pattern: '**/*.mdx' }),
  schema: z.object({
    title: z.string().min(1),
    summary: z.string().min(1),
    published: z.coerce.date(),
    updated: z.coerce.date().optional(),
    tags: z.array(z.string().min(1)).default([]),
    related: z.array(z.string().min(1)).default([]),
    discussion: z.enum(['open', 'closed']).default('open'),
  }),
});

export const collections = { essays };
