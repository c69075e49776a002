// Plain HTTP against the running server, as a browser without JavaScript would speak it.
export interface FormPost {
  cookie?: string;
  origin?: string | null;
  headers?: Record<string, string>;
}

export async function postForm(url: string, fields: Record<string, string>, options: FormPost = {}): Promise<Response> {
  const origin = options.origin === undefined ? new URL(url).origin : options.origin;
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams(fields),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(origin ? { origin } : {}),
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
  });
}

export async function getPage(url: string, cookie?: string): Promise<Response> {
  return fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
}

/** The `name=value` of the session cookie a response sets, or null. */
export function sessionCookie(response: Response): string | null {
  const header = response.headers.getSetCookie().find((c) => c.startsWith('session='));
  return header ? header.split(';')[0]! : null;
}

// Raw requests for the security suite: any method, any bytes, any headers, no redirects followed.
// A refused form is answered in place (the page again, with the refusal's status), so the status
// of this one response is the status the reader is shown.
export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** A stream is sent chunked, with no Content-Length. */
  body?: string | Uint8Array | ReadableStream<Uint8Array>;
  cookie?: string;
}

export interface RawResponse {
  status: number;
  location: string;
  text: string;
}

export async function send(base: string, request: RawRequest): Promise<RawResponse> {
  const method = request.method ?? 'POST';
  const headers: Record<string, string> = { origin: base, ...request.headers };
  if (request.cookie) headers.cookie = request.cookie;
  if (request.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const init: RequestInit & { duplex?: 'half' } = { method, headers, body: request.body as BodyInit | undefined, redirect: 'manual' };
  if (request.body instanceof ReadableStream) init.duplex = 'half';
  const response = await fetch(base + request.path, init);
  const text = await response.text();
  return { status: response.status, location: response.headers.get('location') ?? '', text };
}

/** Form fields as a urlencoded body. */
export const formBody = (fields: Record<string, string | string[]>): string => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) params.append(name, v);
  return params.toString();
};

/** A cookie as the value of a Cookie request header. */
export const cookieHeader = (cookie: { name: string; value: string }): string => `${cookie.name}=${cookie.value}`;
