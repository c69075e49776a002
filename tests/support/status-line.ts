// The first line a server sends back, read off the socket as sent (node:http's client would parse
// it away): for tests of the status line's reason phrase.
import { connect } from 'node:net';

export function statusLine(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<string> {
  const { method = 'GET', headers = {}, body = '' } = options;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve(received.slice(0, end));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
    const head = { host: `127.0.0.1:${port}`, connection: 'close', ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers };
    socket.write(`${method} ${path} HTTP/1.1\r\n${Object.entries(head).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n${body}`);
  });
}
