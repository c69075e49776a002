// The load test's hostile client: an attacker with a handful of free accounts who sends, as fast
// as the server answers, the worst comment bodies known (tests/support/hostile-inputs.ts) as new
// comments, as edits of their own comments and of someone else's, and the other requests of the
// security review: JSON edits signed out, junk island posts, open-redirect sign-ins, flag storms,
// cookie-less poll ballots. Any 5xx or a connection the server drops is a problem; 4xx is the point.
import { HOSTILE_BODIES } from '../support/hostile-inputs.ts';

interface HostileOptions {
  origin: string;
  /** Session cookie values of the attacker's accounts. */
  sessions: string[];
  /** A published comment by somebody else. */
  victim: number;
  essay: string;
  deadline: number;
  problems: string[];
  elapsed: () => number;
}

interface Probe {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  type?: string;
  body?: string;
  session?: string;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** Sends probes until the deadline; answers how the server answered, by status. */
export async function hostileClient(options: HostileOptions): Promise<Record<string, number>> {
  const { origin, sessions, victim, essay } = options;
  const tally: Record<string, number> = {};
  const bodies = Object.entries(HOSTILE_BODIES);
  const own: (number | null)[] = sessions.map(() => null);
  // No answer means the server is down or stuck: say so once and stop, rather than once a probe.
  let down = false;

  const send = async (probe: Probe): Promise<{ status: number; location: string; text: string } | null> => {
    try {
      const response = await fetch(origin + probe.path, {
        method: probe.method,
        headers: {
          origin,
          ...(probe.type ? { 'content-type': probe.type } : {}),
          ...(probe.session ? { cookie: `session=${probe.session}` } : {}),
        },
        body: probe.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      tally[response.status] = (tally[response.status] ?? 0) + 1;
      if (response.status >= 500) options.problems.push(`hostile ${probe.name} got ${response.status} at ${options.elapsed().toFixed(1)} s`);
      return { status: response.status, location: response.headers.get('location') ?? '', text };
    } catch (error) {
      tally.failed = (tally.failed ?? 0) + 1;
      options.problems.push(`hostile ${probe.name} got no answer at ${options.elapsed().toFixed(1)} s: ${String(error)}`);
      down = true;
      return null;
    }
  };

  // Each account first posts one ordinary comment, to have something of its own to edit.
  for (const [i, session] of sessions.entries()) {
    const result = await send({ name: 'own comment', method: 'POST', path: '/comments/new', type: 'application/x-www-form-urlencoded', body: form({ essay, body: `An ordinary comment ${i}` }), session });
    own[i] = Number(/comment-(\d+)/.exec(result?.location ?? '')?.[1]) || null;
  }

  let n = 0;
  while (!down && performance.now() < options.deadline) {
    const [name, body] = bodies[n % bodies.length]!;
    const k = n % sessions.length;
    const session = sessions[k]!;
    const probes: Probe[] = [
      { name: `post: ${name}`, method: 'POST', path: '/comments/new', type: 'application/x-www-form-urlencoded', body: form({ essay, body }), session },
      { name: `edit of another's comment: ${name}`, method: 'POST', path: `/comments/${victim}/edit`, type: 'application/x-www-form-urlencoded', body: form({ body }), session },
      ...(own[k] ? [{ name: `edit of own comment: ${name}`, method: 'POST' as const, path: `/comments/${own[k]}/edit`, type: 'application/x-www-form-urlencoded', body: form({ body }), session }] : []),
      { name: 'JSON edit, signed out', method: 'POST', path: `/comments/${victim + (n % 7)}/edit`, type: 'application/json', body: '{"body":"x"}' },
      { name: 'island posted null', method: 'POST', path: '/_server-islands/Discussion', type: 'application/json', body: 'null' },
      { name: 'open redirect', method: 'POST', path: '/signin?next=/.//evil.example/phish', type: 'application/x-www-form-urlencoded', body: form({ username: 'nobody_here', password: 'wrong password 123' }) },
      // Flags from these established accounts would rightly hide what they flag: the storm falls on
      // the attacker's own other comments, so the readers' likes stay valid, and meets the flag limit.
      ...(own[(k + 1) % own.length] ? [{ name: 'flag storm', method: 'POST' as const, path: `/moderation/flag/${own[(k + 1) % own.length]}`, type: 'application/x-www-form-urlencoded', body: form({ reason: 'spam' }), session }] : []),
      { name: 'cookie-less ballot', method: 'POST', path: '/polls/wechat-paradox/', type: 'application/x-www-form-urlencoded', body: form({ concern: 'little', behaviour: 'keep' }) },
    ];
    for (const probe of probes) {
      const result = await send(probe);
      if (probe.name === 'open redirect' && result && /^(?:\/\/|\/\\|[a-z]+:)/i.test(result.location)) {
        options.problems.push(`hostile open redirect answered Location: ${result.location}`);
      }
      if (down || performance.now() >= options.deadline) break;
    }
    n++;
  }
  return tally;
}
