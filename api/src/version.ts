import { readFileSync } from 'node:fs';

/** The version people see in /health and exports: the root package's. */
export const firstmileVersion: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
