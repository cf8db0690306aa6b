import { Command } from 'commander';
import { migrateToLatest, openDatabase, type Config } from '@firstmile/schema';
import { generateWorld, type GenerateSummary } from '@firstmile/etl';
import { configFrom, portArgument, wholeNumberArgument, type ServerOptions } from './options.ts';
import { issueDemoKeys } from './demo-keys.ts';
import { describeRun, etlCommand, runEtlWithProgress } from './etl.ts';
import { importCommand } from './import.ts';
import { keysCommand } from './keys.ts';
import { progressReporter } from './progress.ts';
import { serveUntilStopped } from './run-server.ts';

async function open(config: Config, migrate = true) {
  const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, migrate });
  for (const note of handle.notes) console.error(`database: ${note}`);
  return handle;
}

function withDatabaseOption(command: Command): Command {
  return command.option('--data-dir <dir>', 'folder for the embedded database (ignored when DATABASE_URL is set)');
}

function withServerOptions(command: Command): Command {
  return withDatabaseOption(command)
    .option('--host <host>', 'address to listen on (env HOST, default 127.0.0.1)')
    .option('--port <port>', 'port to listen on (env PORT, default 3000)', portArgument);
}

function printSummary(summary: GenerateSummary): void {
  console.log(`generated a world from seed ${summary.seed} with ${summary.people.toLocaleString('en-GB')} people:`);
  for (const [table, rows] of Object.entries(summary.rows)) {
    console.log(`  ${table.padEnd(20)} ${rows.toLocaleString('en-GB').padStart(12)}`);
  }
}

async function isEmpty(handle: Awaited<ReturnType<typeof open>>): Promise<boolean> {
  const row = await handle.db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n) === 0;
}

const generateOptions = (command: Command) =>
  command
    .option('--people <n>', 'how many people the world holds', wholeNumberArgument(1, 50_000_000), 2000)
    .option('--seed <n>', 'seed for the generator: the same seed gives the same world', wholeNumberArgument(0, 2 ** 31 - 1), 42);

export function buildProgram(): Command {
  const program = new Command('firstmile')
    .description('Firstmile: measure what relationship-centred work prevents.')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: true });

  withServerOptions(program.command('serve').description('serve the API and dashboard (migrations run on start)'))
    .action(async (options: ServerOptions) => {
      const config = configFrom(options);
      await serveUntilStopped(await open(config), config);
    });

  withDatabaseOption(program.command('migrate').description('bring the database schema to the latest version, and nothing else'))
    .action(async (options: ServerOptions) => {
      const handle = await open(configFrom(options), false);
      try {
        const outcome = await migrateToLatest(handle.db);
        console.log(
          outcome.applied.length === 0
            ? `already at the latest version: ${outcome.version}`
            : `applied ${outcome.applied.join(', ')}; now at ${outcome.version}`,
        );
      } finally {
        await handle.close();
      }
    });

  generateOptions(withDatabaseOption(program.command('generate').description('load a deterministic, seeded demo world into an empty database')))
    .action(async (options: ServerOptions & { people: number; seed: number }) => {
      const handle = await open(configFrom(options));
      try {
        if (!(await isEmpty(handle))) {
          throw new CliError('the database already holds organisations; generate into an empty one (a new --data-dir or database)');
        }
        const progress = progressReporter();
        const summary = await generateWorld(handle, { people: options.people, seed: options.seed }, (p) =>
          progress.update(p.phase, p.done, p.total),
        );
        progress.stop();
        printSummary(summary);
      } finally {
        await handle.close();
      }
    });

  generateOptions(withServerOptions(program.command('demo').description('load the demo world (first time only) and serve it')))
    .action(async (options: ServerOptions & { people: number; seed: number }) => {
      const config = configFrom(options);
      const handle = await open(config);
      if (await isEmpty(handle)) {
        console.log(`loading the demo world (${options.people.toLocaleString('en-GB')} people, seed ${options.seed})…`);
        const progress = progressReporter();
        const summary = await generateWorld(handle, { people: options.people, seed: options.seed }, (p) =>
          progress.update(p.phase, p.done, p.total),
        );
        progress.stop();
        printSummary(summary);
      } else {
        console.log('the demo world is already loaded');
      }
      // The figures are ready before the first request; from then on the server keeps them so.
      console.log(describeRun(await runEtlWithProgress(handle, config, false)));
      const keys = await issueDemoKeys(handle.db);
      console.log('\nAPI keys for this demo (new at every start; the previous ones are revoked):');
      for (const k of keys) console.log(`  ${k.role.padEnd(13)} ${k.organisation.padEnd(36)} ${k.key}`);
      console.log('  try: curl -H "Authorization: Bearer <key>" http://HOST:PORT/v1/organisations\n'.replace('HOST:PORT', `${config.host}:${config.port}`));
      await serveUntilStopped(handle, config);
    });

  program.addCommand(
    keysCommand(configFrom, (message) => {
      throw new CliError(message);
    }),
  );
  program.addCommand(etlCommand(configFrom, (config) => open(config)));
  program.addCommand(
    importCommand(configFrom, (message) => {
      throw new CliError(message);
    }),
  );

  return program;
}

/** A mistake the person running the command can fix: shown without a stack trace. */
export class CliError extends Error {
  override name = 'CliError';
}
