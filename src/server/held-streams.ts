// A server process's side of its stream holder (stream-holder.ts, a child process forked on the
// first stream): a live stream's connection is sent there with its head once the stream is
// admitted, and what the stream writes follows it over the IPC channel. The stream itself (who
// reads it, where it stands) stays here: its `LiveStream`, a `Held` and its network's name, three
// objects and ~0.4 KB (tests/browser/live-stream-heap.test.ts). Node's request, response and socket
// for it are let go of, so full garbage collections no longer mark them.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import type { Closable, StreamSink } from './stream-hand-off.ts';
import { END, STALL_MS, type HolderCommand, type HolderReport } from './stream-holder-protocol.ts';

/** The holder's source, which Node runs directly (type stripping), in the checkout. */
export const HOLDER_SOURCE = join('src', 'server', 'stream-holder.ts');
/** The holder bundled beside the server build by stream-holder-bundle.ts: no TypeScript stripper to load, ~20 MB less. */
export const BUNDLED_HOLDER_FILE = 'stream-holder.mjs';

/** The holder the built site in the checkout `root` brings, else its source. */
export function locateStreamHolder(root: string): string {
  const bundled = join(root, 'dist', 'server', BUNDLED_HOLDER_FILE);
  return existsSync(bundled) ? bundled : join(root, HOLDER_SOURCE);
}

// Its heap holds sockets and little else.
const HOLDER_FLAGS = ['--max-old-space-size=48', '--max-semi-space-size=1'];

/**
 * A stream sent to the holder, as this process keeps it: its sink too, one object with the methods
 * on its prototype. Per stream this is most of what every full garbage collection marks here; as a
 * record, a sink and the sink's three closures it was five objects (issue 15's limit (c)), and the
 * stream it tells of the close is kept as itself, not in a closure (two more).
 */
class Held implements StreamSink {
  closed = false;
  listener: Closable | null = null;
  /** When it was sent, until the holder says it has the connection. */
  sentAt: number | null = Date.now();
  private readonly holder: StreamHolder;
  readonly id: number;
  /** The holder process it was sent to. */
  readonly child: ChildProcess;

  constructor(holder: StreamHolder, id: number, child: ChildProcess) {
    this.holder = holder;
    this.id = id;
    this.child = child;
  }

  write(bytes: Uint8Array): void {
    this.holder.queue(this, bytes);
  }

  end(): void {
    this.holder.queue(this, null);
  }

  onClose(closable: Closable): void {
    if (this.closed) queueMicrotask(() => closable.close());
    else this.listener = closable;
  }
}

/**
 * How long a connection sent to the holder may go unconfirmed before the channel is taken to be
 * stuck: the holder is then replaced, and its streams' browsers reconnect to the new one. (Node
 * sends a socket and waits for the other side's acknowledgement before it sends anything else on
 * the channel: one that never came would hold up every stream.)
 */
export const CONFIRM_MS = 30_000;

/**
 * Bytes this process may have sent to the holder that the channel has not yet passed on. Past it,
 * the streams a flush writes to are closed instead of written (their browsers come back): a holder
 * that falls behind (a burst of catch-ups, a busy machine) otherwise grew this process by hundreds
 * of MB, which it kept (outside review), and the channel's backlog delayed its confirmations until
 * it was replaced, taking every stream with it.
 */
export const MAX_CHANNEL_BYTES = 16 * 1024 * 1024;

export class StreamHolder {
  private child: ChildProcess | null = null;
  private nextId = 0;
  private readonly held = new Map<number, Held>();
  /** Connections given to `send` and not yet sent (queued behind another's acknowledgement): this process still has them. */
  private readonly sending = new Map<number, Socket>();
  /** Writes not yet sent: flushed together once a tick (a heartbeat to 2,000 streams is one message). */
  private chunks: Uint8Array[] = [];
  private chunkIndex = new Map<Uint8Array, number>();
  private ops: number[] = [];
  /** Bytes of writes sent whose sends are not done (see MAX_CHANNEL_BYTES). */
  private inFlight = 0;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private readonly script: string;
  private readonly flags: string[];
  private readonly confirmMs: number;
  private readonly stallMs: number;

  /** `script`: the holder's module (locateStreamHolder). `stallMs`: see STALL_MS. */
  constructor(script: string, options: { flags?: string[]; confirmMs?: number; stallMs?: number } = {}) {
    this.script = script;
    this.flags = options.flags ?? HOLDER_FLAGS;
    this.confirmMs = options.confirmMs ?? CONFIRM_MS;
    this.stallMs = options.stallMs ?? STALL_MS;
  }

  /** How many streams the holder has now. */
  get size(): number {
    return this.held.size;
  }

  /** The holder's process id, while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Sends `socket` to the holder, which writes `head` and then what the returned sink is given.
   * Once sent, this process closes its own copy of the socket, and Node's HTTP server lets go of
   * the request and response on it. Null when the holder cannot be reached: the caller keeps the
   * socket.
   */
  adopt(socket: Socket, head: string): StreamSink | null {
    const child = this.running();
    if (!child) return null;
    const id = ++this.nextId;
    // An instance, not closures made here: those would share this scope, the socket in it, and keep
    // Node's request and response alive as long as the stream.
    const held = new Held(this, id, child);
    // Writes queued before this send belong to other streams; those after it follow it on the channel.
    this.flush();
    try {
      // Node takes the descriptor off the socket when it sends it (not before: queued behind another
      // socket's acknowledgement, it is still this process's, and a browser leaving meanwhile closes
      // it here; the holder then gets the message alone and says the stream closed). Once sent, what
      // is left of the socket here closes, and the HTTP server lets go of it.
      child.send({ type: 'adopt', id, head } satisfies HolderCommand, socket, (error) => {
        this.sending.delete(id);
        socket.destroy();
        if (error) this.closed([id]);
      });
    } catch {
      return null;
    }
    this.sending.set(id, socket);
    this.held.set(id, held);
    this.watch();
    return held;
  }

  /** Starts the watchdog, apart from `adopt`: a closure made there would keep the socket. */
  private watch(): void {
    this.watchdog ??= setInterval(() => this.checkConfirmed(), Math.max(1, this.confirmMs / 4));
    this.watchdog.unref();
  }

  /** Ends every held stream and the holder with them (a stopping server: its browsers reconnect elsewhere). */
  stop(): void {
    const child = this.child;
    if (!child) return;
    this.child = null;
    child.kill();
    this.closeAllOf(child);
  }

  /** Replaces a holder that has left a connection unconfirmed for longer than confirmMs. */
  private checkConfirmed(): void {
    const now = Date.now();
    let waiting = false;
    for (const held of this.held.values()) {
      if (held.sentAt === null) continue;
      if (now - held.sentAt > this.confirmMs && held.child === this.child) {
        console.error(`The live streams' holder left a connection unconfirmed for ${this.confirmMs / 1000} s; starting another.`);
        this.stop();
        return;
      }
      waiting = true;
    }
    if (!waiting && this.watchdog) {
      clearInterval(this.watchdog);
      this.watchdog = null;
    }
  }

  private running(): ChildProcess | null {
    if (this.child?.connected) return this.child;
    let child: ChildProcess;
    try {
      child = fork(this.script, [String(this.stallMs)], { execArgv: this.flags, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    } catch {
      return null;
    }
    this.child = child;
    this.inFlight = 0;
    child.on('message', (report: HolderReport) => {
      for (const id of report.adopted) {
        const held = this.held.get(id);
        if (held) held.sentAt = null;
      }
      this.closed(report.closed);
    });
    // A holder that dies takes its connections with it: every stream it held is closed here too.
    child.on('exit', () => {
      if (this.child === child) this.child = null;
      this.closeAllOf(child);
    });
    child.on('error', () => {});
    // Neither keeps this process alive: a server that stops is not held up by its holder, which
    // sees the channel close and exits.
    child.unref();
    (child.channel as { unref?: () => void } | null | undefined)?.unref?.();
    return child;
  }

  /** A held stream's write (`null`: its end), sent with the others at the next flush. */
  queue(held: Held, bytes: Uint8Array | null): void {
    if (held.closed) return;
    let index = END;
    if (bytes) {
      index = this.chunkIndex.get(bytes) ?? -1;
      if (index < 0) {
        index = this.chunks.push(bytes) - 1;
        this.chunkIndex.set(bytes, index);
      }
    }
    if (this.ops.length === 0) setImmediate(() => this.flush());
    this.ops.push(held.id, index);
  }

  private flush(): void {
    if (this.ops.length === 0) return;
    let message: HolderCommand = { type: 'write', chunks: this.chunks, ops: this.ops };
    this.chunks = [];
    this.chunkIndex = new Map();
    this.ops = [];
    let bytes = 0;
    for (const chunk of message.chunks) bytes += chunk.byteLength;
    let shed: number[] = [];
    if (bytes > 0 && this.inFlight > 0 && this.inFlight + bytes > MAX_CHANNEL_BYTES) {
      // Too far behind: these streams end (their connections close once what was sent is out).
      shed = [...new Set(message.ops.filter((_, i) => i % 2 === 0))];
      message = { type: 'write', chunks: [], ops: shed.flatMap((id) => [id, END]) };
      bytes = 0;
    }
    const child = this.child;
    if (child) {
      this.inFlight += bytes;
      // Counted for the holder it went to: a new holder starts from nothing.
      const done = () => void (this.child === child && (this.inFlight -= bytes));
      try {
        child.send(message, done);
      } catch {
        // The channel closed: 'exit' closes the streams.
        done();
      }
    }
    this.closed(shed);
  }

  /** Closes the streams sent to `child`, and the connections still waiting here to be sent to it (their sends will not happen). */
  private closeAllOf(child: ChildProcess): void {
    // The one sent and not yet acknowledged is kept by Node until the acknowledgement, which will
    // not come now; Node does not close it when the channel goes, and its browser would wait on it.
    (child as { _pendingMessage?: { handle?: { close?: () => void } } | null })._pendingMessage?.handle?.close?.();
    const ids = [...this.held].filter(([, held]) => held.child === child).map(([id]) => id);
    for (const id of ids) {
      this.sending.get(id)?.destroy();
      this.sending.delete(id);
    }
    this.closed(ids);
  }

  private closed(ids: readonly number[]): void {
    for (const id of ids) {
      const held = this.held.get(id);
      if (!held) continue;
      this.held.delete(id);
      held.closed = true;
      held.listener?.close();
    }
  }
}
