// What a reader's browser receives, in bytes on the wire (the body as sent, compressed when the
// server compresses it), with the benchmark's Accept-Encoding: an essay page with its stylesheets,
// and one answer of any other address.
import { request } from 'node:http';
import { ACCEPT_ENCODING } from './measure.ts';

export interface Transfer {
  status: number;
  /** The body's bytes as transferred. */
  bytes: number;
  encoding: string;
  body: Buffer;
}

export function transfer(url: string, headers: Record<string, string> = {}): Promise<Transfer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': ACCEPT_ENCODING, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, bytes: body.length, encoding: String(res.headers['content-encoding'] ?? 'identity'), body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export interface PageWeight {
  html: number;
  css: number;
  total: number;
  encoding: string;
}

/** A page's HTML and its stylesheets as transferred (scripts load after first paint; not counted). */
export async function pageWeight(base: string, path: string, pageHtml: string): Promise<PageWeight> {
  const html = await transfer(base + path);
  const styles = [...pageHtml.matchAll(/<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]!);
  let css = 0;
  for (const href of styles) css += (await transfer(base + href)).bytes;
  return { html: html.bytes, css, total: html.bytes + css, encoding: html.encoding };
}
