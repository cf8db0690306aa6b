import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, MIN_PSEUDONYM_KEY_BYTES, parsePseudonymKey, type Config } from '@firstmile/schema';
import { createPseudonymiser, type Pseudonymiser } from '../domain/contacts/pseudonymiser.ts';

export interface LoadedPseudonymiser {
  pseudonymiser: Pseudonymiser;
  /** For the start-up log: where the key came from, or why there is none. Never the key. */
  notes: string[];
  /** Set when raw identifiers will be refused. */
  warning: string | null;
}

const KEY_FILE = 'pseudonym.key';

async function readKeyFile(file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot read the pseudonym key file ${file}${code ? ` (${code})` : ''}`);
  }
  return parsePseudonymKey(text, `the pseudonym key file ${file}`);
}

/**
 * The embedded database's key: `<dataDir>/pseudonym.key`, made on first start (mode 600,
 * never overwritten). It sits beside the database folder, not in it, so a dump or a copy of
 * the database alone does not carry it; back it up with the data folder.
 */
async function embeddedKey(dataDir: string): Promise<{ file: string; created: boolean }> {
  const file = path.join(dataDir, KEY_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, `${randomBytes(MIN_PSEUDONYM_KEY_BYTES).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return { file, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { file, created: false };
    throw new ConfigError(`cannot create the pseudonym key file ${file}: ${(error as Error).message}`);
  }
}

/** Made once at start-up: from FIRSTMILE_PSEUDONYM_KEY, its file, the embedded database's key file, or none. */
export async function loadPseudonymiser(config: Config): Promise<LoadedPseudonymiser> {
  const linkAcrossOrganisations = config.linkPeopleAcrossOrganisations;
  const linking = linkAcrossOrganisations ? ' People are linked across organisations (FIRSTMILE_LINK_PEOPLE_ACROSS_ORGANISATIONS=true).' : '';
  const setting = config.pseudonymKey;
  switch (setting.from) {
    case 'environment':
      return { pseudonymiser: createPseudonymiser({ key: setting.key, linkAcrossOrganisations }), notes: [`pseudonym key: from FIRSTMILE_PSEUDONYM_KEY.${linking}`], warning: null };
    case 'file':
      return {
        pseudonymiser: createPseudonymiser({ key: await readKeyFile(setting.path), linkAcrossOrganisations }),
        notes: [`pseudonym key: from ${setting.path}.${linking}`],
        warning: null,
      };
    case 'none': {
      if (config.databaseUrl !== null) {
        const warning =
          'no pseudonym key (FIRSTMILE_PSEUDONYM_KEY or FIRSTMILE_PSEUDONYM_KEY_FILE) is set, so contacts with a raw person_id ' +
          'will be refused; contacts with your own person_ref are still taken';
        return { pseudonymiser: createPseudonymiser({ key: null }), notes: [], warning };
      }
      const { file, created } = await embeddedKey(config.dataDir);
      const note = created
        ? `pseudonym key: created ${file}; keep it with the data folder (without it, the same person gets a new pseudonym)`
        : `pseudonym key: from ${file}`;
      return { pseudonymiser: createPseudonymiser({ key: await readKeyFile(file), linkAcrossOrganisations }), notes: [`${note}.${linking}`], warning: null };
    }
    default: {
      const unreachable: never = setting;
      throw new Error(`unknown pseudonym key setting ${JSON.stringify(unreachable)}`);
    }
  }
}
