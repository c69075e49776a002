// The open streams of this process: who reads each, where each stands, how many each reader
// holds; and the one heartbeat timer for all of them (a comment line every HEARTBEAT_MS keeps
// proxies and browsers from closing an idle connection). An idle stream costs no work of its own.
import type { Db } from '../../../../db/client.ts';
import { findSessionWithUser } from '../../../../db/accounts/session-lookup.ts';
import type { Reader } from '../../accounts/reader.ts';
import type { Recipient } from './deliveries.ts';
import { admitStream, HEARTBEAT_MS, keepsStanding, mayAgain, type Admission, type PerMinute } from './delivery-rules.ts';
import type { StreamSink, TakeSocket } from '../../../server/stream-hand-off.ts';

const HEARTBEAT = new TextEncoder().encode(': heartbeat\n\n');

/** Where a stream says it closed. */
export interface StreamHome {
  closed(stream: LiveStream): void;
}

export class LiveStream implements Recipient {
  /** The last event number this stream was sent or passed over: it is never sent one at or below it. */
  cursor = 0;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  private stream: ReadableStream<Uint8Array> | null = null;
  /** Where it writes once Node's response is handed over (server/stream-hand-off.ts). */
  private sink: StreamSink | null = null;
  /** What was sent while the socket was offered and not yet taken. */
  private waiting: Uint8Array[] | null = null;
  private closed = false;
  /** The `summary` this stream's page shows, as far as the watcher knows (null: not known). */
  summary: string | null = null;
  /** Whether the reader still held when checked last, and at which delivery run (a signed-in stream is checked once a run). */
  private checked: { run: number; holds: Promise<boolean> } | null = null;
  run = 0;
  private readonly db: Db;
  readonly essay: string;
  readonly opened: Reader;
  /** The session the stream was opened with, looked up again before a delivery run sends it anything. */
  private readonly sessionId: string | null;
  /** Whose streams these count as: the account, or the network when signed out. */
  readonly owner: string;
  /** The client's network (an IPv4 address, an IPv6 /64), whoever is signed in: all the streams from there count together too. */
  readonly address: string;
  /** Told when the stream closes (the watcher): an object, not a closure, which with its scope would be two more objects a stream for every full garbage collection to mark. */
  private readonly home: StreamHome;

  constructor(db: Db, essay: string, opened: Reader, sessionId: string | null, owner: string, address: string, home: StreamHome) {
    this.db = db;
    this.essay = essay;
    this.opened = opened;
    this.sessionId = sessionId;
    this.owner = owner;
    this.address = address;
    this.home = home;
  }

  /** The stream as a response body, for Astro to send (made on first use: a handed-over stream has none). */
  get body(): ReadableStream<Uint8Array> {
    this.stream ??= new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      // The browser went away (Astro cancels the body when the socket closes).
      cancel: () => this.close(),
    });
    return this.stream;
  }

  /** Instead of `body`: what is sent waits for Node's response, which the returned function takes. */
  offered(): TakeSocket {
    this.waiting = [];
    return (sink) => {
      if (this.closed) return sink.end();
      this.sink = sink;
      sink.onClose(this);
      for (const bytes of this.waiting ?? []) sink.write(bytes);
      this.waiting = null;
    };
  }

  confirm(): boolean | Promise<boolean> {
    if (!this.opened.account) return true;
    if (this.checked?.run !== this.run) this.checked = { run: this.run, holds: this.lookUp() };
    return this.checked.holds;
  }

  /**
   * The session and its account as they are now (one indexed lookup): a stream whose session ended
   * (signed out, revoked, expired, the account deleted) or whose account's standing changed is
   * closed, and the browser's EventSource comes back with the cookie it has now.
   */
  private async lookUp(): Promise<boolean> {
    const found = this.sessionId ? await findSessionWithUser(this.db, this.sessionId) : null;
    const holds = keepsStanding(this.opened, found, Date.now());
    if (!holds) this.close();
    return holds;
  }

  send(bytes: Uint8Array): void {
    if (this.closed) return;
    if (this.sink) return this.sink.write(bytes);
    if (this.waiting) return void this.waiting.push(bytes);
    // Not offered: into the body Astro will send, made on first use (its start() sets the controller at once).
    void this.body;
    try {
      this.controller!.enqueue(bytes);
    } catch {
      this.close();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.waiting = null;
    this.sink?.end();
    try {
      this.controller?.close();
    } catch {
      // Already cancelled by the reader's side.
    }
    this.home.closed(this);
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

/** Adds `by` to `key`'s count, keeping no key at zero. */
function countIn(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}

/** The streams of one process, by essay, with the per-reader, per-network and per-process limits, the openings and catch-ups per network a minute, and the heartbeat. */
export class StreamRegistry {
  private readonly byEssay = new Map<string, Set<LiveStream>>();
  private readonly byOwner = new Map<string, number>();
  private readonly byAddress = new Map<string, number>();
  private count = 0;
  /** Catch-ups and openings this minute, by network: cleared as each minute starts (no entry outlives it). */
  private readonly thisMinute: Record<PerMinute, Map<string, number>> = { catchUpsPerMinute: new Map(), opensPerMinute: new Map() };
  private minute = 0;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private readonly heartbeatMs: number;

  constructor(heartbeatMs = HEARTBEAT_MS) {
    this.heartbeatMs = heartbeatMs;
  }

  admit(stream: Pick<LiveStream, 'owner' | 'address'>): Admission {
    return admitStream({ total: this.count, forReader: this.byOwner.get(stream.owner) ?? 0, fromAddress: this.byAddress.get(stream.address) ?? 0 });
  }

  /** Whether a stream from `address` may be caught up now (counted if so): STREAM_LIMITS.catchUpsPerMinute. */
  mayCatchUp(address: string, now = Date.now()): boolean {
    return this.countIfAllowed('catchUpsPerMinute', address, now);
  }

  /** Whether a stream from `address` may open now (counted if so): STREAM_LIMITS.opensPerMinute. */
  mayOpen(address: string, now = Date.now()): boolean {
    return this.countIfAllowed('opensPerMinute', address, now);
  }

  private countIfAllowed(limit: PerMinute, address: string, now: number): boolean {
    const minute = Math.floor(now / 60_000);
    if (minute !== this.minute) {
      for (const counts of Object.values(this.thisMinute)) counts.clear();
      this.minute = minute;
    }
    const counts = this.thisMinute[limit];
    const done = counts.get(address) ?? 0;
    if (!mayAgain(limit, done)) return false;
    counts.set(address, done + 1);
    return true;
  }

  add(stream: LiveStream): void {
    let set = this.byEssay.get(stream.essay);
    if (!set) this.byEssay.set(stream.essay, (set = new Set()));
    set.add(stream);
    countIn(this.byOwner, stream.owner, 1);
    countIn(this.byAddress, stream.address, 1);
    this.count++;
    // One timer for every stream of the process, only while there are streams.
    this.heartbeat ??= setInterval(() => this.beat(), this.heartbeatMs);
    this.heartbeat.unref?.();
  }

  remove(stream: LiveStream): void {
    const set = this.byEssay.get(stream.essay);
    if (!set?.delete(stream)) return;
    if (set.size === 0) this.byEssay.delete(stream.essay);
    countIn(this.byOwner, stream.owner, -1);
    countIn(this.byAddress, stream.address, -1);
    this.count--;
    if (this.count === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
  }

  streamsOf(essay: string): ReadonlySet<LiveStream> | undefined {
    return this.byEssay.get(essay);
  }

  get size(): number {
    return this.count;
  }

  private beat(): void {
    for (const set of this.byEssay.values()) for (const stream of set) stream.send(HEARTBEAT);
  }
}
