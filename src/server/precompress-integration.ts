// An Astro integration: once the build is written, every compressible file of the client build
// (HTML, CSS, JavaScript, SVG, XML, JSON, text) above MIN_COMPRESS_BYTES gets a `.br` (Brotli at
// its best, which costs too much to do per request) and a `.gz` (gzip -9) beside it, kept only
// where smaller. precompressed-static.ts serves them. Registered last in astro.config.mjs, so the
// sitemap's files (written in the same hook) are there to compress.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import type { Coding } from './accept-encoding.ts';
import { compress, MIN_COMPRESS_BYTES } from './compress.ts';
import { compressibleFileType, SUFFIX } from './precompressed-static.ts';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Writes the compressed copies for every file under `dir`; returns how many files got them. */
export async function precompressDirectory(dir: string): Promise<{ files: number; bytes: number; compressedBytes: number }> {
  const files = (await filesUnder(dir)).filter((file) => compressibleFileType(file) !== null);
  let done = 0;
  let bytes = 0;
  let compressedBytes = 0;
  for (const file of files) {
    const body = await readFile(file);
    for (const coding of Object.keys(SUFFIX) as Coding[]) {
      const target = file + SUFFIX[coding];
      const packed = body.length >= MIN_COMPRESS_BYTES ? compress(body, coding, 'static') : null;
      // Not worth it: no copy (and none left from an earlier build into the same folder).
      if (!packed || packed.length >= body.length) {
        await rm(target, { force: true });
        continue;
      }
      await writeFile(target, packed);
      if (coding === 'br') {
        done++;
        bytes += body.length;
        compressedBytes += packed.length;
      }
    }
  }
  return { files: done, bytes, compressedBytes };
}

export default function precompress(): AstroIntegration {
  return {
    name: 'convenience-bargain:precompress',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const started = performance.now();
        const { files, bytes, compressedBytes } = await precompressDirectory(fileURLToPath(dir));
        const kb = (n: number) => `${Math.round(n / 1024)} KB`;
        logger.info(`${files} files compressed (${kb(bytes)} → ${kb(compressedBytes)} as Brotli) in ${Math.round(performance.now() - started)} ms`);
      },
    },
  };
}
