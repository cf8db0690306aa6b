import { createSecretKey, type KeyObject } from 'node:crypto';
import path from 'node:path';

/**
 * Where the pseudonym key comes from. The key itself is held as a KeyObject, which never
 * prints its bytes, so a logged config cannot leak it.
 */
export type PseudonymKeySetting =
  | { readonly from: 'environment'; readonly key: KeyObject }
  | { readonly from: 'file'; readonly path: string }
  /** Neither given: the embedded database keeps one under dataDir; a server has none. */
  | { readonly from: 'none' };

/** Settings read once, at the edge (the CLI), and passed down frozen. */
export interface Config {
  /** A PostgreSQL server; when absent Firstmile runs its own embedded one. */
  readonly databaseUrl: string | null;
  /** Where the embedded database and local state live. */
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** The per-deployment secret raw person identifiers are pseudonymised with; never in the database. */
  readonly pseudonymKey: PseudonymKeySetting;
  /**
   * One pseudonym per raw identifier across the whole deployment, so one person's contacts with
   * two organisations link. Off by default: each organisation's pseudonyms are its own.
   */
  readonly linkPeopleAcrossOrganisations: boolean;
  /**
   * Without a need_ref, a person's episode of contacts ends when this many days pass with no
   * contact (FIRSTMILE_EPISODE_GAP_DAYS, default 30). Changing it makes the ETL rebuild.
   */
  readonly episodeGapDays: number;
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

/** The fewest bytes a pseudonym key may hold: HMAC-SHA256's own output size. */
export const MIN_PSEUDONYM_KEY_BYTES = 32;

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * A pseudonym key written as hex (even length) or base64 (standard or URL-safe), surrounding
 * whitespace ignored, of at least 32 bytes. `where` names the source in the error, which
 * never repeats the value.
 */
export function parsePseudonymKey(text: string, where: string): KeyObject {
  const value = text.trim();
  let bytes: Buffer | null = null;
  if (HEX.test(value)) bytes = Buffer.from(value, 'hex');
  else if (BASE64.test(value)) bytes = Buffer.from(value, 'base64');
  else if (BASE64URL.test(value)) bytes = Buffer.from(value, 'base64url');
  if (bytes === null) {
    throw new ConfigError(`${where} must be written as hex or base64 (e.g. the output of: openssl rand -hex 32)`);
  }
  if (bytes.length < MIN_PSEUDONYM_KEY_BYTES) {
    throw new ConfigError(
      `${where} holds ${bytes.length} bytes; it must hold at least ${MIN_PSEUDONYM_KEY_BYTES} (64 hex digits or 44 base64 characters, e.g. openssl rand -hex 32)`,
    );
  }
  const key = createSecretKey(bytes);
  bytes.fill(0);
  return key;
}

function readWholeNumber(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  const value = raw?.trim();
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  return n;
}

function readBoolean(raw: string | undefined, name: string): boolean {
  const value = raw?.trim().toLowerCase();
  if (value === undefined || value === '') return false;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ConfigError(`${name} must be true or false, not "${raw}"`);
}

function readPseudonymKey(env: Readonly<Record<string, string | undefined>>, cwd: string): PseudonymKeySetting {
  const value = env.FIRSTMILE_PSEUDONYM_KEY?.trim() || null;
  const file = env.FIRSTMILE_PSEUDONYM_KEY_FILE?.trim() || null;
  if (value !== null && file !== null) {
    throw new ConfigError('give FIRSTMILE_PSEUDONYM_KEY or FIRSTMILE_PSEUDONYM_KEY_FILE, not both');
  }
  if (value !== null) return { from: 'environment', key: parsePseudonymKey(value, 'FIRSTMILE_PSEUDONYM_KEY') };
  if (file !== null) return { from: 'file', path: path.resolve(cwd, file) };
  return { from: 'none' };
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
    pseudonymKey: Object.freeze(readPseudonymKey(env, cwd)),
    linkPeopleAcrossOrganisations: readBoolean(env.FIRSTMILE_LINK_PEOPLE_ACROSS_ORGANISATIONS, 'FIRSTMILE_LINK_PEOPLE_ACROSS_ORGANISATIONS'),
    episodeGapDays: readWholeNumber(env.FIRSTMILE_EPISODE_GAP_DAYS, 'FIRSTMILE_EPISODE_GAP_DAYS', 30, 1, 3650),
  });
}
