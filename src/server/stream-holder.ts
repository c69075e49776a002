// The process that holds the live streams' connections for a server process (held-streams.ts
// forks it and is the only one to talk to it). It decides nothing: it writes each stream's head,
// then the bytes the server sends for it, and tells the server when a connection closes.
// A stream held by the server itself kept Node's request, response, socket and parser in the
// server's heap, ~11 KB and 126 objects a stream, which every full garbage collection the reads
// cause marked again: 2,000 open streams cost the reads a few percent of their CPU
// (tests/bench/README.md, "Live streams"). Here they sit in a heap that allocates next to nothing.
// Run by Node directly (type stripping), or bundled at build: it imports only Node's own modules.
import type { Socket } from 'node:net';
import { END, MAX_UNSENT_BYTES, type HolderCommand, type HolderReport } from './stream-holder-protocol.ts';

const sockets = new Map<number, Socket>();
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
  sockets.delete(id);
  toReport().closed.push(id);
}

function adopt(id: number, head: string, socket: Socket | undefined): void {
  if (!socket) return closed(id);
  sockets.set(id, socket);
  toReport().adopted.push(id);
  socket.on('close', () => closed(id));
  // A reset by the browser is how it often leaves: 'close' follows and says so.
  socket.on('error', () => {});
  // What the browser sends after its request (nothing, or a pipelined request this answer never
  // reaches) is read and dropped, so that its leaving is heard.
  socket.resume();
  socket.write(head);
}

function write(id: number, bytes: Uint8Array | null): void {
  const socket = sockets.get(id);
  // Not held (its socket never came, or it closed and the server has not heard yet): said again.
  if (!socket) return closed(id);
  if (socket.destroyed) return;
  if (bytes === null) return void socket.end();
  // A browser that stops reading is cut rather than buffered for without end; EventSource comes
  // back and resumes from its last event.
  if (socket.writableLength > MAX_UNSENT_BYTES) return void socket.destroy();
  socket.write(bytes);
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
  for (const socket of sockets.values()) socket.destroy();
  process.exit(0);
});
