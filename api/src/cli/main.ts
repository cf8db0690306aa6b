import { ConfigError, DurabilityError, EmbeddedStartError, MigrationError } from '@firstmile/schema';
import { buildProgram, CliError } from './commands.ts';

const expected = [CliError, ConfigError, DurabilityError, EmbeddedStartError, MigrationError];

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (expected.some((kind) => error instanceof kind)) {
    console.error(`firstmile: ${(error as Error).message}`);
  } else {
    console.error('firstmile: unexpected error (a bug; please report it):');
    console.error(error);
  }
  process.exitCode = 1;
}
