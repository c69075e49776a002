// For the tests of TRUSTED_PROXIES: requests from a chosen loopback address with a chosen
// X-Forwarded-For, and which address the sign-in limiter counted (its keys are keyed hashes, made
// here with the server's own secret, so the test can ask "was 203.0.113.7 counted?").
import { eq } from 'drizzle-orm';
import { request, type IncomingMessage } from 'node:http';
import { authAttempts } from '../../db/schema.ts';
import { loadAuthSecret } from '../../src/features/accounts/secret.ts';
import { throttleKey } from '../../src/features/accounts/throttle.ts';
import { sendFrom } from './from-address.ts';
import type { RunningServer } from './server.ts';

const forwarding = (forwardedFor?: string): Record<string, string> => (forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor });

/** One sign-in with a wrong password, from `from` through `site` (the server, or nginx before it): its status. */
export async function signInAttempt(site: string, from: string, username: string, forwardedFor?: string): Promise<number> {
  const response = await sendFrom(from, `${site}/signin`, { form: { username, password: 'not-the-password' }, headers: forwarding(forwardedFor) });
  return response.status;
}

/** Whether the sign-in limiter holds an attempt counted under `address`. */
export function countedFrom(server: RunningServer, address: string): boolean {
  const key = throttleKey(loadAuthSecret(process.env, server.databasePath), 'address', address);
  return server.db.select().from(authAttempts).where(eq(authAttempts.key, key)).all().length > 0;
}

export interface OpenStream {
  status: number;
  close(): void;
}

/** A live-discussion stream opened from `from`: its status as soon as the head arrives, held open until closed. */
export function openStreamFrom(from: string, url: string, forwardedFor?: string): Promise<OpenStream> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, localAddress: from, headers: { accept: 'text/event-stream', ...forwarding(forwardedFor) } },
      (res: IncomingMessage) => {
        res.resume();
        // Closing the stream cuts it: that is no failure.
        res.on('error', () => {});
        resolve({ status: res.statusCode ?? 0, close: () => req.destroy() });
      },
    );
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer from ${url}`)));
    req.end();
  });
}
