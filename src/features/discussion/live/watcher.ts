// One watcher per process, not per stream: while any stream is open it asks SQLite every
// POLL_MS whether anything was committed (data_version, which also sees other processes' and the
// admin command's commits), and only then reads the new events once (`seq > cursor`) and hands
// each essay's run of them to its streams (deliveries.ts). A stream that opens catches up from
// the log itself, in the same queue, so no stream sees an event twice or out of order.
import type { Db } from '../../../../db/client.ts';
import { dataVersion } from '../../../../db/data-version.ts';
import { essayEventsBetween, eventsAfter, eventWindow, latestEventSeq, type LiveEventRow } from '../../../../db/discussion/events.ts';
import type { EssayInfo } from '../types.ts';
import { EssayDelivery } from './deliveries.ts';
import { RESET_TEXT, resumeFrom, sseFrame, type Admission } from './delivery-rules.ts';
import { LiveStream, StreamRegistry } from './streams.ts';

export const POLL_MS = 250;
/** Events read at a time; a stream further behind than CATCH_UP_LIMIT in its essay starts again ('reset'). */
const BATCH = 500;
const CATCH_UP_LIMIT = 2_000;

const encoder = new TextEncoder();

export class LiveWatcher {
  readonly streams: StreamRegistry;
  /** The last event handed out (or passed over) by this process. */
  private cursor = 0;
  private version = '';
  private timer: ReturnType<typeof setInterval> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private runs = 0;
  private readonly db: Db;
  private readonly essayOf: (slug: string) => Promise<EssayInfo | null>;
  private readonly pollMs: number;

  constructor(db: Db, essayOf: (slug: string) => Promise<EssayInfo | null>, options: { heartbeatMs?: number; pollMs?: number } = {}) {
    this.db = db;
    this.essayOf = essayOf;
    this.streams = new StreamRegistry(options.heartbeatMs);
    this.pollMs = options.pollMs ?? POLL_MS;
  }

  /** One thing at a time: a poll and a stream's catch-up never interleave. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Registers a stream opened after event `since` (the number the island was rendered at, or the
   * browser's Last-Event-ID): sends it what it missed, then keeps it up to date.
   */
  open(stream: LiveStream, since: number): Promise<Admission> {
    return this.serial(async () => {
      // Asked here, in the queue, so that streams opening at once cannot pass the limits together.
      const admission = this.streams.admit(stream.owner);
      if (admission !== 'ok') return admission;
      // Up to date first, so that what it is sent before `: live` is everything committed until now.
      if (this.timer) await this.readNew();
      else this.start();
      const window = eventWindow(this.db);
      let missed: LiveEventRow[] = [];
      if (resumeFrom(since, window) === 'resume' && since < this.cursor) {
        missed = essayEventsBetween(this.db, stream.essay, since, this.cursor, CATCH_UP_LIMIT + 1);
      }
      if (resumeFrom(since, window) === 'reset' || missed.length > CATCH_UP_LIMIT) {
        // Too far behind: the page loads the discussion again; the stream goes on from now.
        stream.send(encoder.encode(sseFrame({ id: window.newest, event: 'reset', data: { text: RESET_TEXT } })));
        stream.cursor = Math.max(window.newest, this.cursor);
      } else {
        stream.cursor = since;
        await this.deliver(stream.essay, missed, [stream]);
        stream.cursor = Math.max(since, this.cursor);
      }
      stream.send(encoder.encode(': live\n\n'));
      this.streams.add(stream);
      return admission;
    });
  }

  private start(): void {
    this.cursor = latestEventSeq(this.db);
    // A failed poll (the database busy with another process's write) is tried again at the next tick:
    // the cursor moves only past what was handed out.
    this.timer = setInterval(() => {
      this.serial(() => this.poll()).catch((error: unknown) => console.error('The live discussion could not read its events; trying again:', error));
    }, this.pollMs);
    this.timer.unref?.();
  }

  /** Stops polling when no stream is left; the next stream starts again from the log's end. */
  private stopIfIdle(): void {
    if (this.streams.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    this.version = '';
  }

  /** Reads what was committed since the last poll, if anything was, and delivers it. */
  async poll(): Promise<void> {
    if (this.streams.size === 0) return this.stopIfIdle();
    const version = await dataVersion(this.db);
    if (version === this.version) return;
    await this.readNew();
    this.version = version;
  }

  /** Hands out every event after the cursor to the streams of its essay. */
  private async readNew(): Promise<void> {
    for (;;) {
      const events = eventsAfter(this.db, this.cursor, BATCH);
      if (events.length === 0) return;
      const byEssay = new Map<string, LiveEventRow[]>();
      for (const event of events) {
        if (!this.streams.streamsOf(event.essay)) continue;
        const list = byEssay.get(event.essay);
        if (list) list.push(event);
        else byEssay.set(event.essay, [event]);
      }
      for (const [essay, run] of byEssay) await this.deliver(essay, run, [...(this.streams.streamsOf(essay) ?? [])]);
      this.cursor = events.at(-1)!.seq;
      if (events.length < BATCH) return;
    }
  }

  /** One essay's run of events to some of its streams, in order, each event at most once per stream. */
  private async deliver(essay: string, events: readonly LiveEventRow[], streams: readonly LiveStream[]): Promise<void> {
    if (events.length === 0 || streams.length === 0) return;
    const delivery = new EssayDelivery(this.db, essay, events, this.essayOf);
    const run = ++this.runs;
    for (const stream of streams) stream.run = run;
    for (const event of events) {
      for (const stream of streams) {
        if (event.seq <= stream.cursor || stream.isClosed) continue;
        const frame = await delivery.frameFor(event, stream);
        if (frame) stream.send(frame);
        stream.cursor = event.seq;
      }
    }
    for (const frame of await delivery.afterRun()) for (const stream of streams) stream.send(frame);
  }

  /** Forgets a closed stream. */
  closed(stream: LiveStream): void {
    this.streams.remove(stream);
  }
}
