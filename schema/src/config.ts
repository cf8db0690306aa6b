import path from 'node:path';

/** Settings read once, at the edge (the CLI), and passed down frozen. */
export interface Config {
  /** A PostgreSQL server; when absent Firstmile runs its own embedded one. */
  readonly databaseUrl: string | null;
  /** Where the embedded database and local state live. */
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function parsePort(raw: string, name: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${name} must be a whole number from 0 to 65535, not "${raw}"`);
  }
  return port;
}

export function readConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return Object.freeze({
    databaseUrl,
    dataDir: path.resolve(cwd, env.FIRSTMILE_DATA_DIR?.trim() || '.firstmile'),
    host: env.HOST?.trim() || '127.0.0.1',
    port: env.PORT?.trim() ? parsePort(env.PORT, 'PORT') : 3000,
  });
}
