// Live streams held by a process of their own (src/server/held-streams.ts, stream-holder.ts), over
// real HTTP and a real forked holder: a handler stands in for Astro's adapter, which writes the
// route's head and ends its empty body.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUNDLED_HOLDER_FILE, HOLDER_SOURCE, locateStreamHolder, MAX_CHANNEL_BYTES, StreamHolder } from '../../src/server/held-streams.ts';
import { bundleForNode } from '../../src/server/node-bundle.ts';
import { END, MAX_HELD_BYTES, MAX_UNSENT_BYTES, type HolderCommand, type HolderReport } from '../../src/server/stream-holder-protocol.ts';
import { ROOT, tempDir } from '../support/paths.ts';
import { listen, stopServer } from '../../src/server/http-server.ts';
import { HAND_OFF_HEADER, heldHead, offerStream, withStreamHandOff, type StreamSink } from '../../src/server/stream-hand-off.ts';

let server: Server | null = null;
let holder: StreamHolder | null = null;
afterEach(async () => {
  holder?.stop();
  holder = null;
  // Not Node's close callback: once connections went to another process it waits on that process (see stopServer).
  if (server) await stopServer(server, 0);
  server = null;
});

const bytes = (text: string) => new TextEncoder().encode(text);

/** A server whose every request is a stream offered to `got` and held by a fresh holder (from `script`); `responses` are Node's own. */
async function serve(got: (sink: StreamSink) => void, extraHeaders: Record<string, string> = {}, script = join(ROOT, HOLDER_SOURCE), options: ConstructorParameters<typeof StreamHolder>[1] = {}) {
  holder = new StreamHolder(script, options);
  const responses: ServerResponse[] = [];
  server = createServer(
    withStreamHandOff((req, res) => {
      responses.push(res);
      offerStream(req.headers[HAND_OFF_HEADER] as string, got, () => {});
      res.setHeader('x-frame-options', 'DENY');
      res.writeHead(200, { 'content-type': 'text/event-stream', ...extraHeaders });
      res.end();
    }, holder),
  );
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, responses };
}

/** `count` browsers that ask for a stream and leave within a few milliseconds, some before it is answered. */
async function leaveAtOnce(port: number, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, () => {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      return new Promise<void>((resolve) =>
        socket.on('connect', () => {
          socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
          setTimeout(() => socket.resetAndDestroy(), 1 + Math.floor(Math.random() * 20));
          resolve();
        }),
      );
    }),
  );
}

/** A process's memory, in MB, as /proc has it (`VmRSS`, or `VmHWM`: its peak). */
const holderMb = (pid: number, field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** A stream request whose response is never read here. */
const requestRaw = (port: number) => request({ host: '127.0.0.1', port, agent: false }).on('error', () => {}).end();

function open(port: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => request({ host: '127.0.0.1', port, agent: false }, resolve).on('error', reject).end());
}

/** Whether a paused response, read from now on, ends in a reset (true) or cleanly (false: after all the kernel held). */
function wasReset(response: IncomingMessage): Promise<boolean> {
  let reset = false;
  response.socket.on('error', (error: NodeJS.ErrnoException) => (reset ||= error.code === 'ECONNRESET'));
  const ended = new Promise<boolean>((resolve) => response.on('close', () => resolve(reset)));
  response.on('error', () => {});
  response.resume();
  return ended;
}

/** Everything the response body says, as it comes. */
function collect(response: IncomingMessage): { text: () => string; ended: Promise<void> } {
  let text = '';
  const ended = new Promise<void>((resolve) => response.on('data', (c: Buffer) => (text += c.toString())).on('end', resolve).on('close', resolve));
  return { text: () => text, ended };
}

describe('streams held by the holder process', () => {
  it("sends the head as every layer left it, then the stream's bytes in order, and ends with the connection", async () => {
    const sinks: StreamSink[] = [];
    const { port } = await serve((s) => sinks.push(s));
    const response = await open(port);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers.connection).toBe('close');
    expect(response.headers['transfer-encoding']).toBeUndefined();
    const body = collect(response);
    await vi.waitFor(() => expect(sinks).toHaveLength(1));
    for (const n of [1, 2, 3]) sinks[0]!.write(bytes(`data: ${n}\n\n`));
    sinks[0]!.end();
    await body.ended;
    expect(body.text()).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\n');
  });

  it('is held in another process: this one lets go of the request, response and connection', async () => {
    const sinks: StreamSink[] = [];
    const { port, responses } = await serve((s) => sinks.push(s));
    await open(port);
    await vi.waitFor(() => expect(holder!.size).toBe(1));
    expect(holder!.pid).toBeTypeOf('number');
    expect(holder!.pid).not.toBe(process.pid);
    // Node's response here has no connection left (it went to the holder).
    await vi.waitFor(() => expect(responses[0]!.socket?.destroyed ?? true).toBe(true));
    // Yet the stream is still open, through the holder.
    expect(sinks).toHaveLength(1);
  });

  it('keeps nothing of Node’s request, response or socket alive for as long as the stream', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const sinks: StreamSink[] = [];
    const { port, responses } = await serve((s) => sinks.push(s));
    await open(port);
    await vi.waitFor(() => expect(holder!.size).toBe(1));
    const left = [new WeakRef(responses[0]!), new WeakRef(responses[0]!.req), new WeakRef(responses[0]!.req.socket)];
    responses.length = 0;
    // The sink the stream keeps is all that stays; the server's own bookkeeping of the closed connection goes within a tick or two.
    await vi.waitFor(async () => {
      await new Promise((r) => setImmediate(r));
      gc();
      expect(left.map((ref) => ref.deref() === undefined)).toEqual([true, true, true]);
    }, { timeout: 6_000 });
    expect(sinks).toHaveLength(1);
  });

  it('keeps each stream’s order when many share bytes and some get their own', async () => {
    const sinks: StreamSink[] = [];
    const { port } = await serve((s) => sinks.push(s));
    const responses = await Promise.all([open(port), open(port), open(port)]);
    const bodies = responses.map(collect);
    await vi.waitFor(() => expect(sinks).toHaveLength(3));
    const shared = [bytes('data: a\n\n'), bytes('data: b\n\n'), bytes('data: c\n\n')];
    // Stream 0 gets b before a (its own catch-up order); the others a, b, c; all in one tick.
    sinks[0]!.write(shared[1]!);
    sinks[1]!.write(shared[0]!);
    sinks[2]!.write(shared[0]!);
    sinks[0]!.write(shared[0]!);
    sinks[1]!.write(shared[1]!);
    sinks[2]!.write(bytes('data: own\n\n'));
    sinks[2]!.write(shared[1]!);
    for (const s of sinks) s.write(shared[2]!);
    for (const s of sinks) s.end();
    await Promise.all(bodies.map((b) => b.ended));
    expect(bodies.map((b) => b.text())).toEqual(['data: b\n\ndata: a\n\ndata: c\n\n', 'data: a\n\ndata: b\n\ndata: c\n\n', 'data: a\n\ndata: own\n\ndata: b\n\ndata: c\n\n']);
  });

  it('tells the stream once when the browser leaves, and sends nothing after', async () => {
    const sinks: StreamSink[] = [];
    const { port } = await serve((s) => sinks.push(s));
    const response = await open(port);
    await vi.waitFor(() => expect(sinks).toHaveLength(1));
    let told = 0;
    sinks[0]!.onClose({ close: () => told++ });
    response.destroy();
    await vi.waitFor(() => expect(told).toBe(1));
    expect(holder!.size).toBe(0);
    sinks[0]!.write(bytes('data: late\n\n'));
    await new Promise((r) => setTimeout(r, 50));
    expect(told).toBe(1);
  });

  it('cuts a browser that reads nothing once more than MAX_UNSENT_BYTES wait for it', async () => {
    const sinks: StreamSink[] = [];
    const { port } = await serve((s) => sinks.push(s));
    const response = await open(port);
    response.pause();
    await vi.waitFor(() => expect(sinks).toHaveLength(1));
    let told = 0;
    sinks[0]!.onClose({ close: () => told++ });
    const chunk = new Uint8Array(256 * 1024).fill(0x61);
    // Far more than the kernel's buffers (~10 MB on loopback, sending and receiving) and the limit
    // together, yet below MAX_HELD_BYTES: the holder must cut it for its own backlog.
    for (let i = 0; i < (MAX_UNSENT_BYTES + 24 * 2 ** 20) / chunk.length && told === 0; i++) {
      sinks[0]!.write(chunk);
      await new Promise((r) => setTimeout(r, 5));
    }
    await vi.waitFor(() => expect(told).toBe(1), { timeout: 5_000 });
    // Cut with a reset: what the kernel still held for it is dropped, not sent after it (a FIN would
    // have let it read all of that and end cleanly).
    expect(await wasReset(response)).toBe(true);
  });

  it('cuts, with a reset, a browser that has read nothing for stallMs while something waits for it, though nothing more comes', async () => {
    const sinks: StreamSink[] = [];
    const { port } = await serve((s) => sinks.push(s), {}, join(ROOT, HOLDER_SOURCE), { stallMs: 1_000 });
    const idle = await open(port);
    idle.pause();
    const reader = collect(await open(port));
    await vi.waitFor(() => expect(sinks).toHaveLength(2));
    let told = 0;
    sinks[0]!.onClose({ close: () => told++ });
    // One write larger than the kernel's largest buffers for a connection, sending and receiving:
    // some of it must wait in the holder. Nothing is sent after it, so no limit in bytes is asked.
    const most = (file: string) => Number(readFileSync(`/proc/sys/net/ipv4/${file}`, 'utf8').trim().split(/\s+/)[2]);
    const chunk = new Uint8Array(most('tcp_rmem') + most('tcp_wmem') + 2 ** 20).fill(0x61);
    for (const sink of sinks) sink.write(chunk);
    await vi.waitFor(() => expect(told).toBe(1), { timeout: 5_000 });
    expect(await wasReset(idle)).toBe(true);
    // A browser that reads is behind only while it reads (here tens of MB: the write completes well within stallMs): it gets it all and stays.
    await vi.waitFor(() => expect(reader.text().length).toBe(chunk.length), { timeout: 10_000 });
    expect(holder!.size).toBe(1);
  }, 20_000);

  it('stays up when hundreds of browsers read nothing while events keep coming: they are cut, a reader gets every byte', async () => {
    const sinks: StreamSink[] = [];
    // Its own heap, small: Node's ~160 bytes for each write the kernel would not take filled the
    // holder's 48 MB with 1,000 such browsers and 10 KB events in 45 s (outside review).
    const { port } = await serve((s) => sinks.push(s), {}, join(ROOT, HOLDER_SOURCE), { flags: ['--max-old-space-size=16', '--max-semi-space-size=1'] });
    const idle = await Promise.all(Array.from({ length: 300 }, () => open(port)));
    for (const r of idle) r.pause();
    const reader = collect(await open(port));
    await vi.waitFor(() => expect(sinks).toHaveLength(301));
    const pid = holder!.pid;
    const before = holderMb(pid!, 'VmRSS');
    let cut = 0;
    for (const sink of sinks.slice(0, 300)) sink.onClose({ close: () => cut++ });
    const event = new Uint8Array(10_000).fill(0x63);
    event.set(bytes('data: '));
    event.set(bytes('\n\n'), event.length - 2);
    let sent = 0;
    for (; cut < 300 && sent < 4_000; sent++) {
      for (const sink of sinks) sink.write(event);
      if (sent % 10 === 9) await new Promise((r) => setTimeout(r, 5));
    }
    await vi.waitFor(() => expect(cut).toBe(300), { timeout: 10_000 });
    expect(holder!.pid).toBe(pid);
    // What waited for them together stayed near MAX_HELD_BYTES (chunks joined, and freed lazily),
    // not 300 times MAX_UNSENT_BYTES (which took it past 250 MB).
    const grewMb = holderMb(pid!, 'VmHWM') - before;
    expect(grewMb).toBeLessThan((2 * MAX_HELD_BYTES) / 2 ** 20);
    await vi.waitFor(() => expect(reader.text().length).toBe(sent * event.length), { timeout: 10_000 });
    expect(holder!.size).toBe(1);
  }, 60_000);

  it('cuts, with a reset, a browser that sends anything after its request', async () => {
    const sinks: StreamSink[] = [];
    const { port } = await serve((s) => sinks.push(s));
    const socket = connect(port, '127.0.0.1');
    const errors: string[] = [];
    socket.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? ''));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    // The head comes from the holder: once it is here, the holder reads this connection.
    const head = new Promise((resolve) => socket.once('data', resolve));
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await head;
    let told = 0;
    sinks[0]!.onClose({ close: () => told++ });
    socket.write('x'.repeat(1_000));
    await vi.waitFor(() => expect(told).toBe(1));
    await closed;
    expect(errors).toContain('ECONNRESET');
    expect(holder!.size).toBe(0);
  });

  it('closes its streams when the holder dies, and forks a new one for the next', async () => {
    const sinks: StreamSink[] = [];
    const { port } = await serve((s) => sinks.push(s));
    const first = collect(await open(port));
    await vi.waitFor(() => expect(sinks).toHaveLength(1));
    let told = 0;
    sinks[0]!.onClose({ close: () => told++ });
    const pid = holder!.pid!;
    process.kill(pid, 'SIGKILL');
    await vi.waitFor(() => expect(told).toBe(1));
    await first.ended;
    const second = collect(await open(port));
    await vi.waitFor(() => expect(sinks).toHaveLength(2));
    expect(holder!.pid).not.toBe(pid);
    sinks[1]!.write(bytes('data: again\n\n'));
    sinks[1]!.end();
    await second.ended;
    expect(second.text()).toBe('data: again\n\n');
  });

  it('ends every stream when stopped, so that the server can close', async () => {
    const sinks: StreamSink[] = [];
    const { port } = await serve((s) => sinks.push(s));
    const bodies = [collect(await open(port)), collect(await open(port))];
    await vi.waitFor(() => expect(sinks).toHaveLength(2));
    const told: number[] = [];
    sinks.forEach((s, i) => s.onClose({ close: () => told.push(i) }));
    holder!.stop();
    await Promise.all(bodies.map((b) => b.ended));
    expect(told.sort()).toEqual([0, 1]);
    // Node's close waits for the connections it handed over: they are gone.
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = null;
  });

  it('leaves a compressed answer to Node’s own response', async () => {
    const sinks: StreamSink[] = [];
    const { port, responses } = await serve((s) => sinks.push(s), { 'content-encoding': 'gzip' });
    const response = await open(port);
    await vi.waitFor(() => expect(sinks).toHaveLength(1));
    expect(response.headers['transfer-encoding']).toBe('chunked');
    expect(holder!.size).toBe(0);
    expect(responses[0]!.destroyed).toBe(false);
    sinks[0]!.end();
  });
});

describe('when something goes wrong between the server and its holder', () => {
  it('keeps serving streams after hundreds of browsers leave while their connections are being sent, with the channel busy', async () => {
    const sinks: StreamSink[] = [];
    const { port } = await serve((s) => sinks.push(s));
    const readers = await Promise.all(Array.from({ length: 20 }, () => open(port)));
    for (const r of readers) r.resume();
    await vi.waitFor(() => expect(sinks).toHaveLength(20));
    // The channel kept busy with writes while hundreds of browsers ask for a stream and leave at once, twice.
    const big = new Uint8Array(1024 * 1024).fill(0x62);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3; i++) for (const sink of sinks) sink.write(big);
      await leaveAtOnce(port, 400);
    }
    for (const r of readers) r.destroy();
    // A stream opened afterwards is held and written to.
    const before = sinks.length;
    const body = collect(await open(port));
    await vi.waitFor(() => expect(sinks.length).toBeGreaterThan(before));
    sinks.at(-1)!.write(bytes('data: after\n\n'));
    sinks.at(-1)!.end();
    await body.ended;
    expect(body.text()).toBe('data: after\n\n');
    // Every stream whose browser left is told so: none is left counted.
    await vi.waitFor(() => expect(holder!.size).toBe(0), { timeout: 10_000 });
  }, 30_000);

  it('replaces a holder that leaves a connection unconfirmed, closing the stream (its browser comes back)', async () => {
    const silent = join(tempDir('tcb-silent-holder-'), 'silent.mjs');
    // Takes connections and says nothing, as a stuck channel would look from the server.
    writeFileSync(silent, "process.on('message', () => {}); process.on('disconnect', () => process.exit(0));\n");
    holder = new StreamHolder(silent, { confirmMs: 300 });
    const sinks: StreamSink[] = [];
    server = createServer(
      withStreamHandOff((req, res) => {
        offerStream(req.headers[HAND_OFF_HEADER] as string, (s) => sinks.push(s), () => {});
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end();
      }, holder),
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const request = new Promise<void>((resolve) => requestRaw(port).on('close', resolve));
    await vi.waitFor(() => expect(sinks).toHaveLength(1));
    const first = holder.pid;
    let told = 0;
    sinks[0]!.onClose({ close: () => told++ });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    await vi.waitFor(() => expect(told).toBe(1), { timeout: 3_000 });
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('unconfirmed'));
    errors.mockRestore();
    // Its browser's connection went with the old holder; the next stream gets a new one.
    await request;
    requestRaw(port);
    await vi.waitFor(() => expect(sinks).toHaveLength(2));
    expect(holder.pid).not.toBe(first);
  });

  it('closes the streams it writes to once more than MAX_CHANNEL_BYTES wait in the channel, rather than keep them here', async () => {
    const behind = join(tempDir('tcb-behind-holder-'), 'behind.mjs');
    // Takes the first connection and then reads nothing more: everything sent after it waits here.
    writeFileSync(behind, 'for (;;);\n');
    const sinks: StreamSink[] = [];
    const { port } = await serve((s) => sinks.push(s), {}, behind, { confirmMs: 60_000 });
    requestRaw(port);
    await vi.waitFor(() => expect(sinks).toHaveLength(1));
    let told = 0;
    sinks[0]!.onClose({ close: () => told++ });
    const chunk = new Uint8Array(2 ** 20);
    let written = 0;
    for (; told === 0 && written < 64; written++) {
      sinks[0]!.write(chunk);
      await new Promise((r) => setImmediate(r));
    }
    expect(told).toBe(1);
    expect(written).toBe(MAX_CHANNEL_BYTES / chunk.length + 1);
  });

  it('closes here the connections still waiting to be sent when it replaces a holder that reads nothing', async () => {
    const stuck = join(tempDir('tcb-stuck-holder-'), 'stuck.mjs');
    // Never reads its channel: the first connection is sent into the pipe, the next waits for an acknowledgement that never comes.
    writeFileSync(stuck, 'for (;;);\n');
    holder = new StreamHolder(stuck, { confirmMs: 300 });
    const sinks: StreamSink[] = [];
    server = createServer(
      withStreamHandOff((req, res) => {
        offerStream(req.headers[HAND_OFF_HEADER] as string, (s) => sinks.push(s), () => {});
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end();
      }, holder),
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const closedRequests = [0, 1].map(() => new Promise<void>((resolve) => requestRaw(port).on('close', resolve)));
    await vi.waitFor(() => expect(sinks).toHaveLength(2));
    const told: number[] = [];
    sinks.forEach((s, i) => s.onClose({ close: () => told.push(i) }));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    await vi.waitFor(() => expect(told.sort()).toEqual([0, 1]), { timeout: 3_000 });
    errors.mockRestore();
    // Both browsers' connections are closed (and EventSource would come back), the waiting one by this process.
    await Promise.all(closedRequests);
  });

  it('stops the server only once its own requests are answered, after streams were held (stopServer)', async () => {
    holder = new StreamHolder(join(ROOT, HOLDER_SOURCE));
    const sinks: StreamSink[] = [];
    const own = await listen(
      withStreamHandOff((req, res) => {
        if (req.url === '/slow') return void setTimeout(() => res.end('slow answer'), 500);
        offerStream(req.headers[HAND_OFF_HEADER] as string, (s) => sinks.push(s), () => {});
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end();
      }, holder),
      '127.0.0.1',
      0,
    );
    const port = (own.address() as AddressInfo).port;
    await open(port);
    await vi.waitFor(() => expect(holder!.size).toBe(1));
    const order: string[] = [];
    const slow = new Promise<void>((resolve) => request({ host: '127.0.0.1', port, path: '/slow', agent: false }, (r) => r.resume().on('end', () => (order.push('answered'), resolve()))).end());
    await new Promise((r) => setTimeout(r, 100));
    // As the server stops (src/cli/start.ts): the streams first, then Node's close.
    holder.stop();
    const closing = stopServer(own).then(() => order.push('closed'));
    await Promise.all([slow, closing]);
    expect(order).toEqual(['answered', 'closed']);
  });

  it('says a stream it does not hold is closed, whatever it is sent for it', async () => {
    const child = fork(join(ROOT, HOLDER_SOURCE), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    try {
      const report = new Promise<HolderReport>((resolve) => child.once('message', resolve));
      child.send({ type: 'write', chunks: [bytes('data: x\n\n')], ops: [41, 0, 42, END] } satisfies HolderCommand);
      expect(await report).toEqual({ adopted: [], closed: [41, 42] });
    } finally {
      child.kill();
    }
  });
});

describe('the holder as the build bundles it (stream-holder-bundle.ts)', () => {
  it('imports only Node’s own modules and holds a stream as the source does', async () => {
    const bundle = join(tempDir('tcb-holder-bundle-'), BUNDLED_HOLDER_FILE);
    await bundleForNode(join(ROOT, HOLDER_SOURCE), bundle);
    const imports = [...readFileSync(bundle, 'utf8').matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    for (const specifier of imports) expect(specifier).toMatch(/^node:/);
    const sinks: StreamSink[] = [];
    const { port } = await serve((s) => sinks.push(s), {}, bundle);
    const body = collect(await open(port));
    await vi.waitFor(() => expect(sinks).toHaveLength(1));
    sinks[0]!.write(bytes('data: bundled\n\n'));
    sinks[0]!.end();
    await body.ended;
    expect(body.text()).toBe('data: bundled\n\n');
    if (process.platform === 'linux') expect(readFileSync(`/proc/${holder!.pid}/cmdline`, 'utf8')).toContain(BUNDLED_HOLDER_FILE);
  });

  it('is what the server runs when the build has it, else the source', () => {
    const root = tempDir('tcb-holder-root-');
    expect(locateStreamHolder(root)).toBe(join(root, HOLDER_SOURCE));
    mkdirSync(join(root, 'dist', 'server'), { recursive: true });
    writeFileSync(join(root, 'dist', 'server', BUNDLED_HOLDER_FILE), '');
    expect(locateStreamHolder(root)).toBe(join(root, 'dist', 'server', BUNDLED_HOLDER_FILE));
  });
});

describe('heldHead', () => {
  it('drops the response’s own framing and closes the connection after the body', () => {
    const res = { statusCode: 200, statusMessage: 'OK', headers: { 'content-type': 'text/event-stream', 'transfer-encoding': 'chunked', connection: 'keep-alive', 'keep-alive': 'timeout=65', 'content-length': '0', vary: ['a', 'b'] } };
    const head = heldHead({
      statusCode: res.statusCode,
      statusMessage: res.statusMessage,
      getHeaders: () => res.headers,
      hasHeader: (name: string) => name in res.headers,
    } as unknown as ServerResponse);
    expect(head.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(head.endsWith('connection: close\r\n\r\n')).toBe(true);
    expect(head).toContain('content-type: text/event-stream\r\n');
    expect(head).toContain('vary: a\r\nvary: b\r\n');
    expect(head).toMatch(/date: .+ GMT\r\n/);
    for (const framing of ['transfer-encoding', 'keep-alive', 'content-length', 'connection: keep-alive']) expect(head).not.toContain(framing);
  });
});
