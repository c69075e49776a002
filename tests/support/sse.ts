// Reading Server-Sent Events as a browser does (the event-stream format of the HTML standard):
// for the live discussion's tests, from a stream in process or over HTTP.
export interface SseEvent {
  /** The id field of the message, if it had one. */
  id: string | null;
  event: string;
  data: string;
}

/** Reads a stream in the background, collecting its messages and comment lines. */
export class SseReader {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  retry: number | null = null;
  ended = false;
  private buffer = '';
  private readonly waiters = new Set<() => void>();
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
    void this.pump();
  }

  private async pump(): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await this.reader.read();
        if (done) break;
        this.buffer += decoder.decode(value, { stream: true });
        this.parse();
      }
    } catch {
      // Cancelled or cut: what arrived is kept.
    }
    this.ended = true;
    this.wake();
  }

  private parse(): void {
    for (let end = this.buffer.search(/\r?\n\r?\n/); end >= 0; end = this.buffer.search(/\r?\n\r?\n/)) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      let id: string | null = null;
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('id:')) id = line.slice(3).trim();
        else if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        else if (line.startsWith('retry:')) this.retry = Number(line.slice(6).trim());
      }
      if (data.length > 0) this.events.push({ id, event, data: data.join('\n') });
    }
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
  }

  /** Resolves once `ready()` holds, or rejects after `ms`. */
  async until(ready: (reader: SseReader) => boolean, ms = 3_000, what = 'the expected events'): Promise<void> {
    if (ready(this)) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (ready(this)) done(resolve);
        else if (this.ended) done(() => reject(new Error(`the stream ended before ${what}: ${JSON.stringify(this.events)}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no ${what} within ${ms} ms: ${JSON.stringify(this.events)}`))), ms);
      const done = (then: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        then();
      };
      this.waiters.add(check);
    });
  }

  /** Waits until the server says the stream is live (after its catch-up). */
  live(ms?: number): Promise<void> {
    return this.until((r) => r.comments.includes('live'), ms, 'the live mark');
  }

  /** The messages of one type, their data parsed. */
  of<T = Record<string, unknown>>(type: string): (T & { seq: number | null })[] {
    return this.events.filter((e) => e.event === type).map((e) => ({ ...(JSON.parse(e.data) as T), seq: e.id === null ? null : Number(e.id) }));
  }

  /** Everything received, as one text: to look for a comment's words anywhere in it. */
  get text(): string {
    return this.events.map((e) => e.data).join('\n');
  }

  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
  }
}
