// One watcher per process, not per stream: while any stream is open it asks SQLite every
// POLL_MS whether anything was committed (data_version, which also sees other processes' and the
// admin command's commits), and only then reads the new events once (`seq > cursor`) and hands
// each essay's run of them to its streams (deliveries.ts). A stream that opens catches up from
// the log itself, in the same queue, so no stream sees an event twice or out of order.
import type { Db } from '../../../../db/client.ts';
import { dataVersion } from '../../../../db/data-version.ts';
import { essayEventsBetween, eventsAfter, eventWindow, latestEventSeq, type LiveEventRow } from '../../../../db/discussion/events.ts';
import type { EssayInfo } from '../types.ts';
import { EssayDelivery, summaryFrame } from './deliveries.ts';
import { RESET_TEXT, resumeFrom, sseFrame, type Admission } from './delivery-rules.ts';
import { LiveStream, StreamRegistry } from './streams.ts';

export const POLL_MS = 250;
/** Events read at a time. */
const BATCH = 500;
/**
 * A stream further behind than this many events of its essay, or whose catch-up would come to more
 * than CATCH_UP_BYTES, starts again ('reset': its page reloads the discussion). Every event is sent
 * as its comment is now, so a catch-up over a comment hidden and restored a thousand times would
 * be its whole markup a thousand times: 16 MB a request, built here before it is sent (outside review).
 * The bytes are kept small because a catch-up goes at once into the kernel's send buffer, which
 * takes up to 4 MB before the holder sees a browser reading nothing: 2,500 streams caught up by
 * 250 KB each and never read held 560 MB of it (outside review).
 */
export const CATCH_UP_LIMIT = 500;
export const CATCH_UP_BYTES = 64 * 1024;

const encoder = new TextEncoder();

export class LiveWatcher {
  readonly streams: StreamRegistry;
  /** The last event handed out (or passed over) by this process. */
  private cursor = 0;
  private version = '';
  private timer: ReturnType<typeof setInterval> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private runs = 0;
  /**
   * Per essay with open streams, its `summary` as last worked out after a run for all of them, and
   * whether it was exactly the state as of that run's last event (nothing committed meanwhile): a
   * stream that opens takes it as what its page shows, when it may (see `open`).
   */
  private readonly summaries = new Map<string, { frame: string; exact: boolean }>();
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
   *
   * Summaries. A `summary` (the published count and the margin's counts: the same for every
   * audience) goes to a stream only when it differs from the one its page shows, so that activity
   * a reader may not see (a held comment) sends them nothing at all. What a page shows: the last
   * summary its stream was sent; for a stream that has not been sent one, the counts as of `since`,
   * which the server knows only when nothing it could see changed since then:
   * - too far behind (`reset`): it is sent the current summary with the reset;
   * - resuming, and its catch-up sent it something while the events may have changed the count: it
   *   may have missed a summary, and is sent the current one after the catch-up;
   * - otherwise (nothing missed, or nothing it sees: then nothing published changed either) its page
   *   shows the counts as of now: the essay's summary as the watcher last worked it out, when that
   *   was exact (nothing committed between reading the run's events and counting; else not known,
   *   and the next summary is sent to it, changed or not). The first stream of an essay counts once.
   * A summary sent may be ahead of the events sent (counted after a later commit): that is harmless,
   * the page shows it and the event follows. One taken as known must never be ahead of the page.
   */
  open(stream: LiveStream, since: number): Promise<Admission> {
    return this.serial(async () => {
      // Asked here, in the queue, so that streams opening at once cannot pass the limits together.
      const admission = this.streams.admit(stream);
      if (admission !== 'ok') return admission;
      // Up to date first, so that what it is sent before `: live` is everything committed until now.
      if (this.timer) await this.readNew();
      else this.start();
      const window = eventWindow(this.db);
      let missed: LiveEventRow[] = [];
      if (resumeFrom(since, window) === 'resume' && since < this.cursor) {
        missed = essayEventsBetween(this.db, stream.essay, since, this.cursor, CATCH_UP_LIMIT + 1);
      }
      let counted: { frame: string; exact: boolean } | null = null;
      let caughtUp = false;
      const fits = resumeFrom(since, window) === 'resume' && missed.length <= CATCH_UP_LIMIT;
      // Nothing missed costs nothing; a catch-up counts against its network's minute (a reset past it).
      if (fits && (missed.length === 0 || this.streams.mayCatchUp(stream.address))) {
        stream.cursor = since;
        caughtUp = await this.deliver(stream.essay, missed, [stream], { catchUp: true });
      }
      if (!caughtUp) {
        // Too far behind: the page loads the discussion again; the stream goes on from now.
        stream.send(encoder.encode(sseFrame({ id: window.newest, event: 'reset', data: { text: RESET_TEXT } })));
        stream.summary = await summaryFrame(this.db, stream.essay);
        stream.send(encoder.encode(stream.summary));
        stream.cursor = Math.max(window.newest, this.cursor);
      } else {
        stream.cursor = Math.max(since, this.cursor);
        if (stream.summary === null) {
          counted = this.summaries.get(stream.essay) ?? { frame: await summaryFrame(this.db, stream.essay), exact: latestEventSeq(this.db) === this.cursor };
          if (counted.exact) stream.summary = counted.frame;
        }
      }
      stream.send(encoder.encode(': live\n\n'));
      // Closed already: the browser left, or the reader's session ended during the catch-up.
      if (stream.isClosed) return admission;
      this.streams.add(stream);
      if (counted && !this.summaries.has(stream.essay)) this.summaries.set(stream.essay, counted);
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
      for (const [essay, run] of byEssay) await this.deliver(essay, run, [...(this.streams.streamsOf(essay) ?? [])], { upTo: events.at(-1)!.seq });
      this.cursor = events.at(-1)!.seq;
      if (events.length < BATCH) return;
    }
  }

  /**
   * One essay's run of events to some of its streams, in order, each event at most once per stream;
   * then its summary to those whose page does not show it (see `open`), and its `state`. A run for
   * all the essay's streams (`upTo`: the last event read) keeps the essay's summary; a stream's
   * catch-up (`catchUp`, one stream) is sent the summary only if it was sent something (see
   * `open`), and nothing at all when it would come to more than CATCH_UP_BYTES (then false: the
   * stream is sent a `reset` instead).
   */
  private async deliver(essay: string, events: readonly LiveEventRow[], streams: readonly LiveStream[], how: { upTo: number } | { catchUp: true }): Promise<boolean> {
    if (events.length === 0 || streams.length === 0) return true;
    const delivery = new EssayDelivery(this.db, essay, events, this.essayOf);
    const run = ++this.runs;
    for (const stream of streams) stream.run = run;
    let told = false;
    // A catch-up's frames, held until it is known to be within its bytes.
    const caughtUp: Uint8Array[] | null = 'catchUp' in how ? [] : null;
    let size = 0;
    for (const event of events) {
      for (const stream of streams) {
        if (event.seq <= stream.cursor || stream.isClosed) continue;
        const frame = await delivery.frameFor(event, stream);
        if (frame && caughtUp) {
          size += frame.byteLength;
          if (size > CATCH_UP_BYTES) return false;
          caughtUp.push(frame);
        } else if (frame) stream.send(frame);
        told ||= frame !== null;
        stream.cursor = event.seq;
      }
    }
    for (const frame of caughtUp ?? []) streams[0]!.send(frame);
    const counting = 'upTo' in how || told ? delivery.summary() : null;
    if (counting) {
      const frame = await counting;
      if ('upTo' in how && this.streams.streamsOf(essay)) this.summaries.set(essay, { frame, exact: latestEventSeq(this.db) === how.upTo });
      let bytes: Uint8Array | undefined;
      for (const stream of streams) {
        if (stream.isClosed || stream.summary === frame) continue;
        stream.send((bytes ??= encoder.encode(frame)));
        stream.summary = frame;
      }
    }
    const state = await delivery.state();
    if (state) for (const stream of streams) stream.send(state);
    return true;
  }

  /** Forgets a closed stream. */
  closed(stream: LiveStream): void {
    this.streams.remove(stream);
    // Its summary is kept only while streams follow the essay: runs skip an essay nobody follows.
    if (!this.streams.streamsOf(stream.essay)) this.summaries.delete(stream.essay);
  }
}
