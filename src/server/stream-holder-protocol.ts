// What the server process (held-streams.ts) and its stream holder (stream-holder.ts) say to each
// other over their IPC channel (advanced serialization: bytes go as bytes).

/** Server → holder. */
export type HolderCommand =
  /** Sent with the connection's socket: write `head`, then hold the connection as stream `id`. */
  | { type: 'adopt'; id: number; head: string }
  /**
   * What the streams are sent, in order: pairs of (stream id, index into `chunks`), where END ends
   * the stream. Bytes sent to many streams (an event for everyone signed out) go once.
   */
  | { type: 'write'; chunks: Uint8Array[]; ops: number[] };

/**
 * Holder → server, at most once a tick: the connections it now has (`adopted`), and the streams
 * whose connections closed (the browser left, the holder cut it, or it never had it: a message
 * that came without its socket, or writes for a stream it does not know).
 */
export type HolderReport = { adopted: number[]; closed: number[] };

/** In `ops`, in place of a chunk: the stream ends (its connection is closed once what it was sent is out). */
export const END = -1;

/**
 * Bytes a stream may have waiting for its browser before the holder cuts it (a browser that reads
 * nothing would otherwise be buffered for without end). Above the largest catch-up
 * (features/discussion/live/watcher.ts, CATCH_UP_BYTES), written at once to a browser that reads
 * it at its pace.
 */
export const MAX_UNSENT_BYTES = 1024 * 1024;

/**
 * Bytes all the streams behind may have waiting together (a chunk sent to several counted for
 * each): past it, a stream that is behind is cut when it is next sent something. Without it, the
 * limit per stream would let a few hundred browsers that read nothing take gigabytes.
 */
export const MAX_HELD_BYTES = 32 * 1024 * 1024;

/**
 * How long a stream may stay behind (something waiting for its browser) with no write completing
 * before the holder cuts it. The limits in bytes see only what waits in the holder, not the
 * kernel's send buffer before it (up to 4 MB a connection by default): a browser that reads
 * nothing held that much of the kernel's memory until it left (outside review). The holder is
 * told its own value as its first argument (tests use a shorter one).
 */
export const STALL_MS = 30_000;
