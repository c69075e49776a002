import { glob } from 'astro/loaders';
import { defineCollection } from 'astro:content';
import { essaySchema } from './features/reading/essay-schema.ts';

// The front matter's rules (corrections log, place in the series) live in lib/essay-schema.ts.
const essays = defineCollection({
  loader: glob({ base: './content/essays', pattern: '**/*.mdx' }),
  schema: essaySchema,
});

export const collections = { essays };
