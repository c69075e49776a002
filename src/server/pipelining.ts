// HTTP/1.1 lets a client send requests one after another without reading the answers
// (pipelining). Node parses all of them at once, hands each to the site at once, and keeps every
// answer in memory until those before it are sent: one client sending 200 pipelined requests on
// each of a few hundred connections and reading nothing took the server past its heap limit
// (outside review, 3 December). Here a connection's next request is taken up only once the answer
// before it is sent and the socket has room for more; a client more than `maxWaiting` requests
// ahead, or one that leaves an answer unread for `stallMs` while requests wait, is cut off.
// Browsers and nginx do not pipeline: for them nothing changes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export const PIPELINING_LIMITS = { maxWaiting: 8, stallMs: 30_000 };

/** One connection's requests: whether one is being answered, those waiting their turn, and the watch on their wait. */
interface Line {
  busy: boolean;
  waiting: [IncomingMessage, ServerResponse][];
  stalled: ReturnType<typeof setTimeout> | undefined;
}

export function withOneRequestAtATime(handler: Handler, limits = PIPELINING_LIMITS): Handler {
  const lines = new WeakMap<Socket, Line>();

  /** While requests wait, the line must move within stallMs (an answer begins), or the connection goes. */
  const watch = (line: Line, socket: Socket, waiting: boolean) => {
    clearTimeout(line.stalled);
    line.stalled = undefined;
    if (!waiting) return;
    line.stalled = setTimeout(() => socket.destroy(), limits.stallMs);
    line.stalled.unref();
  };

  const answer = (line: Line, socket: Socket, req: IncomingMessage, res: ServerResponse) => {
    line.busy = true;
    watch(line, socket, line.waiting.length > 0);
    // After the answer is sent, or when the connection goes before it is.
    res.once('close', () => next(line, socket));
    handler(req, res);
  };

  const next = (line: Line, socket: Socket) => {
    line.busy = false;
    const queued = line.waiting.shift();
    if (!queued || socket.destroyed) return;
    if (!socket.writableNeedDrain) return answer(line, socket, ...queued);
    // The client has not read what it was sent: its next answer waits until it does.
    line.busy = true;
    watch(line, socket, true);
    socket.once('drain', () => answer(line, socket, ...queued));
  };

  return (req, res) => {
    const socket = req.socket;
    let line = lines.get(socket);
    if (!line) {
      const created: Line = (line = { busy: false, waiting: [], stalled: undefined });
      lines.set(socket, created);
      socket.once('close', () => watch(created, socket, false));
    }
    if (!line.busy) return answer(line, socket, req, res);
    if (line.waiting.length >= limits.maxWaiting) {
      socket.destroy();
      return;
    }
    line.waiting.push([req, res]);
    if (!line.stalled) watch(line, socket, true);
  };
}
