import { Command } from 'commander';
import type { Config, DatabaseHandle } from '@firstmile/schema';
import { runEtl, type EtlRunSummary } from '@firstmile/etl';
import { progressReporter } from './progress.ts';

const count = (n: number) => n.toLocaleString('en-GB');

/** What a run did, in a few lines a person can check against the numbers they expect. */
export function describeRun(run: EtlRunSummary): string {
  if (run.mode === 'nothing') return 'nothing new since the last run: the analytics tables are up to date';
  const seconds = ((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(1);
  const why = run.mode === 'full' && run.reason ? ` (${run.reason})` : '';
  return [
    `${run.mode} run ${run.runId}${why} in ${seconds} s: ${count(run.rowsWritten)} rows written`,
    `  queued changes      ${count(run.queueEntries)}`,
    `  project periods     ${count(run.projectPartitions)}`,
    `  people recomputed   ${count(run.people)}`,
    `  service periods     ${count(run.servicePartitions)}`,
    `  place periods       ${count(run.placePartitions)}`,
  ].join('\n');
}

/** Runs the ETL once, with a progress display, and says what it did. */
export async function runEtlWithProgress(handle: DatabaseHandle, config: Config, full: boolean): Promise<EtlRunSummary> {
  const progress = progressReporter();
  try {
    return await runEtl(handle.db, {
      full,
      settings: { episodeGapDays: config.episodeGapDays },
      onProgress: (phase, done, total) => progress.update(phase === 'done' ? 'done' : `etl: ${phase}`, done, total),
    });
  } finally {
    progress.stop();
  }
}

export function etlCommand(configFor: (options: { dataDir?: string }) => Config, open: (config: Config) => Promise<DatabaseHandle>): Command {
  return new Command('etl')
    .description('bring the analytics tables up to date (only what changed since the last run; the server does this by itself)')
    .option('--full', 'rebuild everything from the raw tables')
    .option('--data-dir <dir>', 'folder for the embedded database (ignored when DATABASE_URL is set)')
    .action(async (options: { full?: boolean; dataDir?: string }) => {
      const config = configFor(options);
      const handle = await open(config);
      try {
        console.log(describeRun(await runEtlWithProgress(handle, config, options.full ?? false)));
      } finally {
        await handle.close();
      }
    });
}
