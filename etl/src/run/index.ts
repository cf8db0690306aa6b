export * from './periods.ts';
export * from './run-etl.ts';
export * from './worker.ts';
