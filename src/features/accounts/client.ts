// Who is asking, as far as the account flows need to know: the address for the limiter (only
// ever stored as a keyed hash), the user agent (only ever stored as a coarse device label), and
// the known-device cookie that lets a browser the account signed in from before past the
// limits outsiders can fill (see throttle.ts).
import type { AstroCookies } from 'astro';
import { clientAddressOf } from '../../http/client-address.ts';
import { KNOWN_DEVICE_COOKIE } from './throttle.ts';

export interface Client {
  address: string;
  userAgent: string | null;
  knownDevice?: string | null;
}

/** The browser behind a form: the client, and its cookies, to sign it in. */
export interface Browser extends Client {
  cookies: AstroCookies;
}

export function clientOf(context: { request: Request; clientAddress: string; cookies: AstroCookies }): Browser {
  const { cookies } = context;
  return { address: clientAddressOf(context), userAgent: context.request.headers.get('user-agent'), knownDevice: cookies.get(KNOWN_DEVICE_COOKIE)?.value ?? null, cookies };
}
