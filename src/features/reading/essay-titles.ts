// Essay slug → title, for pages that list comments from several essays.
import { getCollection } from 'astro:content';

let titles: Promise<Map<string, string>> | undefined;

export function essayTitles(): Promise<Map<string, string>> {
  titles ??= getCollection('essays').then((essays) => new Map(essays.map((e) => [e.id, e.data.title])));
  return titles;
}
