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
