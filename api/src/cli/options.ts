import { InvalidArgumentError } from 'commander';
import { ConfigError, parsePort, readConfig, type Config } from '@firstmile/schema';

export interface DatabaseOptions {
  dataDir?: string;
}
export interface ServerOptions extends DatabaseOptions {
  host?: string;
  port?: number;
}

export function portArgument(raw: string): number {
  try {
    return parsePort(raw, '--port');
  } catch (error) {
    throw new InvalidArgumentError(error instanceof ConfigError ? error.message : String(error));
  }
}

export function wholeNumberArgument(min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

/** The environment's settings with this command line's flags on top, read once. */
export function configFrom(options: ServerOptions, env = process.env): Config {
  const base = readConfig(env);
  return Object.freeze({
    ...base,
    dataDir: options.dataDir ? readConfig({ ...env, FIRSTMILE_DATA_DIR: options.dataDir }).dataDir : base.dataDir,
    host: options.host ?? base.host,
    port: options.port ?? base.port,
  });
}
