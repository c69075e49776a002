// Helpers for browser tests of pages: the essays that exist, a record of every request a page
// makes, and an axe-core accessibility check run inside the page.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './paths.ts';

/** Every essay in the collection, by slug: the tests cover whatever essays exist. */
export function essaySlugs(): string[] {
  return readdirSync(join(ROOT, 'content/essays'))
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => f.replace(/\.mdx$/, ''))
    .sort();
}

/** An essay's MDX source, to pick the essays that have what a test needs (headings, notes). */
export function essaySource(slug: string): string {
  return readFileSync(join(ROOT, 'content/essays', `${slug}.mdx`), 'utf8');
}

/** Starts recording every request the page makes; call before navigating. */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}

/** Starts recording what the browser blocked under the page's Content-Security-Policy. */
export function recordCspViolations(page: Page): string[] {
  const messages: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) messages.push(message.text());
  });
  return messages;
}

/** The requests that went anywhere but the site's own origin (data: and blob: URLs stay in the page). */
export function foreignRequests(urls: readonly string[], origin: string): string[] {
  return urls.filter((u) => !u.startsWith(`${origin}/`) && u !== origin && !/^(?:data|blob|about):/.test(u));
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

const axeSource = readFileSync(axePath, 'utf8');

/**
 * Runs axe-core in the page and returns its violations. axe is evaluated through the DevTools
 * protocol, not added as a <script>: no request, and the page's CSP stays as it is.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

/** Violations as a readable list, so that a failing test says what to fix. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}`).join('\n')}`).join('\n');
}
