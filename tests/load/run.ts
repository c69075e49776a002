// `npm run test:load [-- --no-build] [-- --seconds 60] [-- --clients 50]`: the full load-and-crash
// run (tests/load/harness.ts), with its table. Exits 1 and names every loss when anything is lost.
// `-- --hostile` runs it beside the hostile client instead of the crash, readers pausing ~0.4 s
// between requests, and fails if their p99 latency reaches 1 s.
import { buildSite } from '../support/build-once.ts';
import { formatLoadReport, runLoad } from './harness.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

if (!process.argv.includes('--no-build')) {
  console.log('Building the site…');
  buildSite();
}
const hostile = process.argv.includes('--hostile');
const seconds = option('seconds', 60);
const clients = option('clients', 50);
console.log(hostile ? `${clients} clients for ${seconds} s beside a hostile client…` : `${clients} clients for ${seconds} s; the server is killed halfway and started again…`);
const report = await runLoad({ seconds, clients, hostile, crash: !hostile, thinkMs: hostile ? 400 : 0, log: (line) => console.log(`  ${line}`) });
console.log(`\n${formatLoadReport(report)}`);
process.exit(report.problems.length ? 1 : 0);
