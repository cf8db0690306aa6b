/** What `JSON.stringify` writes back faithfully: no undefined, functions, Dates or bigints. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface BenchmarkOutcome {
  /** Written to bench-results/<name>.json under `result`. */
  result: Json;
  /** A few lines for the terminal; the JSON holds the detail. */
  summary: string[];
}

export interface Benchmark {
  /** One line, shown when `npm run bench` lists what it can run. */
  description: string;
  run(): Promise<BenchmarkOutcome>;
}
