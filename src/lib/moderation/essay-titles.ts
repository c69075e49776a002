// Essay slugs to titles, for the dashboard (comments store the slug only).
import { getCollection } from 'astro:content';

export async function essayTitles(): Promise<Map<string, string>> {
  return new Map((await getCollection('essays')).map((e) => [e.id, e.data.title]));
}
