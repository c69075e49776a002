// Many open live streams against the real server, as browsers hold them: one connection each,
// from many loopback addresses (Linux routes all of 127.0.0.0/8 to the machine; the server takes
// at most 8 signed-out streams per address, so 2,000 streams come from 250 of them). Used by the
// bounded load test (live-load.test.ts) and the benchmark's idle-streams scenario (tests/bench/live.ts).
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { STREAM_LIMITS } from '../../src/features/discussion/live/delivery-rules.ts';

export interface OpenStream {
  request: ClientRequest;
  response: IncomingMessage | null;
  /** When the text looked for arrived on this stream (performance.now()), if it did. */
  arrivedAt: number | null;
}

export interface StreamCrowd {
  streams: OpenStream[];
  /** Statuses of the answers that were not a stream. */
  refused: Record<number, number>;
  /** Starts watching every stream for `text`; resolves when all have it, or after `ms`. */
  watchFor(text: string, ms: number): Promise<void>;
  close(): void;
}

/** The loopback address the i-th stream comes from: 8 streams per address. */
export const addressFor = (i: number) => {
  const a = Math.floor(i / STREAM_LIMITS.perReader);
  return `127.1.${Math.floor(a / 250)}.${(a % 250) + 1}`;
};

function openOne(url: URL, path: string, localAddress: string): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const stream: OpenStream = { request: undefined as unknown as ClientRequest, response: null, arrivedAt: null };
    stream.request = request({ host: url.hostname, port: url.port, path, localAddress, agent: false, headers: { accept: 'text/event-stream' } }, (response) => {
      stream.response = response;
      if (response.statusCode !== 200) response.resume();
      resolve(stream);
    });
    stream.request.on('error', reject);
    stream.request.end();
  });
}

/** Opens `count` streams of one essay, `batch` at a time, each from the address its number gives. */
export async function openStreams(base: string, essay: string, count: number, batch = 100): Promise<StreamCrowd> {
  const url = new URL(base);
  const streams: OpenStream[] = [];
  const refused: Record<number, number> = {};
  for (let i = 0; i < count; i += batch) {
    const opened = await Promise.all(Array.from({ length: Math.min(batch, count - i) }, (_, k) => openOne(url, `/discussion/${essay}/events`, addressFor(i + k))));
    for (const s of opened) {
      if (s.response!.statusCode === 200) streams.push(s);
      else refused[s.response!.statusCode!] = (refused[s.response!.statusCode!] ?? 0) + 1;
    }
  }
  let watching: { text: string; left: number; done: () => void } | null = null;
  for (const stream of streams) {
    let carry = '';
    stream.response!.setEncoding('utf8');
    stream.response!.on('data', (chunk: string) => {
      if (!watching || stream.arrivedAt !== null) return;
      const seen = carry + chunk;
      if (seen.includes(watching.text)) {
        stream.arrivedAt = performance.now();
        if (--watching.left === 0) watching.done();
      }
      carry = seen.slice(-watching.text.length);
    });
  }
  return {
    streams,
    refused,
    watchFor: (text, ms) =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.arrivedAt = null;
        const timer = setTimeout(() => resolve(), ms);
        watching = {
          text,
          left: streams.length,
          done: () => {
            clearTimeout(timer);
            resolve();
          },
        };
      }),
    close: () => {
      for (const s of streams) s.request.destroy();
    },
  };
}

/** Kept here too for the load test; the benchmark's measure.ts reads it with the rest of a process's figures. */
export { cpuMs } from '../bench/measure.ts';
