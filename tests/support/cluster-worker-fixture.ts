// A stand-in server worker for the worker pool's tests (tests/integration/worker-pool.test.ts),
// so they run without a build: FIXTURE_MODE 'fail' exits before listening, 'die-soon' listens
// and exits 1 after FIXTURE_LIFE_MS, anything else serves until SIGTERM.
import { createServer } from 'node:http';

const mode = process.env.FIXTURE_MODE;
if (mode === 'fail') process.exit(3);
const server = createServer((_, res) => res.end(String(process.pid)));
server.listen(Number(process.env.FIXTURE_PORT), '127.0.0.1', () => {
  if (mode === 'die-soon') setTimeout(() => process.exit(1), Number(process.env.FIXTURE_LIFE_MS));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
