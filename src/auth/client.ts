// Who is asking, as far as the account flows need to know: the address for the limiter (only
// ever stored as a keyed hash) and the user agent (only ever stored as a coarse device label).
export interface Client {
  address: string;
  userAgent: string | null;
}

export function clientOf(context: { request: Request; clientAddress: string }): Client {
  let address = 'unknown';
  try {
    address = context.clientAddress;
  } catch {
    // Astro throws when the adapter cannot tell; all such requests then share one limiter bucket.
  }
  return { address, userAgent: context.request.headers.get('user-agent') };
}
