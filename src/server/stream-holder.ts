// The process that holds the live streams' connections for a server process (held-streams.ts
// forks it and is the only one to talk to it). It decides nothing: it writes each stream's head,
// then the bytes the server sends for it, and tells the server when a connection closes.
// A stream held by the server itself kept Node's request, response, socket and parser in the
// server's heap, ~11 KB and 126 objects a stream, which every full garbage collection the reads
// cause marked again: 2,000 open streams cost the reads a few percent of their CPU
// (tests/bench/README.md, "Live streams"). Here they sit in a heap that allocates next to nothing.
// Run by Node directly (type stripping), or bundled at build: it imports only Node's own modules.
import type { Socket } from 'node:net';
import { END, MAX_HELD_BYTES, MAX_UNSENT_BYTES, STALL_MS, type HolderCommand, type HolderReport } from './stream-holder-protocol.ts';

/** STALL_MS, or what the server process said (its first argument). */
const stallMs = Number(process.argv[2]) > 0 ? Number(process.argv[2]) : STALL_MS;

/**
 * One held connection. Node gives each write it cannot pass to the kernel at once ~160 bytes of
 * heap: a browser that reads nothing, sent an event a second, would soon fill the holder's heap
 * (1,000 of them with 10 KB events took it past 48 MB in 45 s). So once the kernel takes no more,
 * what comes waits here, as references to the server's chunks (shared by every stream they were
 * sent to: a slot each), and goes to Node as one write once Node has passed on what it had.
 */
class Held {
  readonly socket: Socket;
  /** Chunks waiting for Node to pass on what it has. */
  private backlog: Uint8Array[] = [];
  /** Their bytes. */
  private queued = 0;
  /** Bytes Node had not passed to the kernel, when last looked at. */
  private pending = 0;
  private ending = false;
  /** Since when it has been behind with no write completing (0: not behind). */
  stalledSince = 0;
  /** Called by Node as each write is done: made once, so that a write allocates nothing of ours. */
  private readonly written = () => this.afterWrite();

  constructor(socket: Socket) {
    this.socket = socket;
  }

  put(bytes: Uint8Array): void {
    if (this.socket.destroyed || this.ending) return;
    if (this.backlog.length === 0 && this.socket.writableLength === 0) return this.hand(bytes);
    this.backlog.push(bytes);
    this.queued += bytes.byteLength;
    unsent += bytes.byteLength;
    this.behind();
    // A browser that stops reading is cut rather than buffered for without end (EventSource comes
    // back and resumes from its last event, or reloads when that is too far back); so is one that
    // is behind while those behind together hold more than the holder may.
    if (this.queued + this.pending > MAX_UNSENT_BYTES || unsent > MAX_HELD_BYTES) return this.cut();
  }

  /** Ends the connection once everything sent to it is out. */
  end(): void {
    if (this.backlog.length === 0) this.socket.end();
    else this.ending = true;
  }

  /** Takes its bytes out of `unsent`: the connection is gone. */
  forget(): void {
    unsent -= this.queued + this.pending;
    this.backlog = [];
    this.queued = this.pending = 0;
    this.caughtUp();
  }

  /**
   * Closed with a reset, not a FIN: a FIN would wait behind what the kernel still holds for the
   * browser, which a browser that reads nothing keeps there (up to 4 MB) for minutes after the
   * connection is gone from here. A reset frees it at once; EventSource reconnects either way.
   */
  cut(): void {
    this.forget();
    this.socket.resetAndDestroy();
  }

  private hand(bytes: Uint8Array): void {
    this.socket.write(bytes, this.written);
    this.counted();
    if (this.pending > 0) this.behind();
  }

  /** Something waits for the browser: the stall clock runs from now unless it already did. */
  private behind(): void {
    if (this.stalledSince !== 0) return;
    this.stalledSince = Date.now();
    watchStalls(this);
  }

  private caughtUp(): void {
    this.stalledSince = 0;
    stalls.delete(this);
  }

  /** `pending` (and `unsent`) as Node has it now: what the kernel did not take at once stays with Node until its write is done. */
  private counted(): void {
    const left = this.socket.writableLength;
    unsent += left - this.pending;
    this.pending = left;
  }

  private afterWrite(): void {
    if (this.socket.destroyed) return;
    this.counted();
    // A write completed: the browser reads, however slowly.
    if (this.stalledSince !== 0) this.stalledSince = Date.now();
    if (this.pending === 0 && this.backlog.length === 0) return this.caughtUp();
    if (this.pending > 0) return;
    const next = this.backlog.length === 1 ? this.backlog[0]! : Buffer.concat(this.backlog);
    unsent -= this.queued;
    this.backlog = [];
    this.queued = 0;
    this.hand(next);
    if (this.ending) this.socket.end();
  }
}

/** Connections behind, which one timer (only while there are any) looks at a few times per STALL_MS. */
const stalls = new Set<Held>();
let stallTimer: ReturnType<typeof setInterval> | null = null;

function watchStalls(stream: Held): void {
  stalls.add(stream);
  stallTimer ??= setInterval(cutStalled, Math.max(10, stallMs / 4));
}

/** Cuts the connections behind with no write completing for stallMs. */
function cutStalled(): void {
  const since = Date.now() - stallMs;
  for (const stream of stalls) if (stream.stalledSince < since) stream.cut();
  if (stalls.size === 0 && stallTimer) {
    clearInterval(stallTimer);
    stallTimer = null;
  }
}

const held = new Map<number, Held>();
/** Bytes waiting for browsers across every held connection (chunks shared by several counted for each). */
let unsent = 0;
let report: HolderReport | null = null;

/** What to tell the server, sent once a tick (2,000 browsers leaving at once make one message). */
function toReport(): HolderReport {
  if (!report) {
    report = { adopted: [], closed: [] };
    setImmediate(() => {
      const message = report!;
      report = null;
      if (process.connected) process.send!(message);
    });
  }
  return report;
}

function closed(id: number): void {
  held.get(id)?.forget();
  held.delete(id);
  toReport().closed.push(id);
}

function adopt(id: number, head: string, socket: Socket | undefined): void {
  if (!socket) return closed(id);
  const stream = new Held(socket);
  held.set(id, stream);
  toReport().adopted.push(id);
  socket.on('close', () => closed(id));
  // A reset by the browser is how it often leaves: 'close' follows and says so.
  socket.on('error', () => {});
  // A browser sends nothing after its request. Whatever comes (a pipelined request this answer
  // never reaches, or a flood that kept this process reading at full speed, outside review) cuts
  // the connection. Reading is what lets a browser's leaving be heard.
  socket.on('data', () => stream.cut());
  stream.put(Buffer.from(head, 'latin1'));
}

function write(id: number, bytes: Uint8Array | null): void {
  const stream = held.get(id);
  // Not held (its socket never came, or it closed and the server has not heard yet): said again.
  if (!stream) return closed(id);
  if (bytes === null) stream.end();
  else stream.put(bytes);
}

process.on('message', (message: HolderCommand, handle?: Socket) => {
  if (message.type === 'adopt') return adopt(message.id, message.head, handle);
  const { chunks, ops } = message;
  for (let i = 0; i < ops.length; i += 2) {
    const chunk = ops[i + 1]!;
    write(ops[i]!, chunk === END ? null : chunks[chunk]!);
  }
});

// The server process went away (stopped, or killed): its streams end with it, and the browsers reconnect.
process.on('disconnect', () => {
  for (const stream of held.values()) stream.socket.destroy();
  process.exit(0);
});
