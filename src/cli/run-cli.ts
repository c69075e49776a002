// The one way a command ends on failure: a configuration mistake is one line and exit code 1;
// anything else is a bug and keeps its stack trace.
import { ConfigError } from '../lib/config.ts';

export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
    process.exit(1);
  });
}
