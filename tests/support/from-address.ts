// Plain HTTP from a chosen loopback address (127.0.0.2, 127.0.0.3, …): the server sees each as
// a different client, as it would two readers on different networks, without trusting any
// forwarding header. All of 127.0.0.0/8 is this machine.
import { request } from 'node:http';

export interface AddressedResponse {
  status: number;
  location: string | null;
  setCookies: string[];
  text: string;
}

export function sendFrom(
  localAddress: string,
  url: string,
  options: { method?: string; form?: Record<string, string>; cookie?: string; headers?: Record<string, string> } = {},
): Promise<AddressedResponse> {
  const target = new URL(url);
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
  const headers: Record<string, string> = { origin: target.origin, ...options.headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  if (options.cookie) headers.cookie = options.cookie;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: options.method ?? (body ? 'POST' : 'GET'), headers, localAddress },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            location: (res.headers.location as string | undefined) ?? null,
            setCookies: res.headers['set-cookie'] ?? [],
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer from ${url}`)));
    req.end(body);
  });
}

/** The `name=value` pairs of the cookies a response sets (not the cleared ones), for a Cookie header. */
export function cookiesFrom(response: AddressedResponse, names: string[]): string {
  return response.setCookies
    .map((c) => c.split(';')[0]!)
    .filter((pair) => names.includes(pair.split('=')[0]!) && !pair.endsWith('='))
    .join('; ');
}
