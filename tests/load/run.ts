// `npm run test:load [-- --no-build] [-- --seconds 60] [-- --clients 50]`: the full load-and-crash
// run (tests/load/harness.ts), with its table. Exits 1 and names every loss when anything is lost.
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
const seconds = option('seconds', 60);
const clients = option('clients', 50);
console.log(`${clients} clients for ${seconds} s; the server is killed halfway and started again…`);
const report = await runLoad({ seconds, clients, log: (line) => console.log(`  ${line}`) });
console.log(`\n${formatLoadReport(report)}`);
process.exit(report.problems.length ? 1 : 0);
