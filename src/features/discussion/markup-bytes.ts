// Markup as UTF-8 chunks. The threads many readers share are encoded once per rendering, and one
// reader's threads are put together from slices of those bytes and the few parts that are theirs
// (comment-html.ts, fillThreadBytes), instead of building and encoding a new string of half a
// megabyte per request: encoding was a fifth of a signed-in island's time (tests/bench/README.md).
// Astro's set:html writes an iterable of byte chunks as it is; anything else reads it as text.
export class MarkupBytes implements Iterable<Uint8Array> {
  readonly chunks: readonly Uint8Array[];

  constructor(chunks: readonly Uint8Array[]) {
    this.chunks = chunks;
  }

  /** Text and byte chunks in order, the text encoded as UTF-8. */
  static of(...parts: readonly (string | Uint8Array | MarkupBytes)[]): MarkupBytes {
    const chunks: Uint8Array[] = [];
    for (const part of parts) {
      if (typeof part === 'string') chunks.push(Buffer.from(part, 'utf8'));
      else if (part instanceof MarkupBytes) chunks.push(...part.chunks);
      else chunks.push(part);
    }
    return new MarkupBytes(chunks);
  }

  [Symbol.iterator](): Iterator<Uint8Array> {
    return this.chunks[Symbol.iterator]();
  }

  get byteLength(): number {
    let n = 0;
    for (const chunk of this.chunks) n += chunk.byteLength;
    return n;
  }

  /** The markup as text (for tests, and anything that wants a string). */
  toString(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
