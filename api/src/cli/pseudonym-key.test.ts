import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, readConfig } from '@firstmile/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PSEUDONYM_KEY, testPseudonymiser } from '../testing/index.ts';
import { loadPseudonymiser } from './pseudonym-key.ts';

const org = '6f1c0d8e-2f35-4c8e-9a51-0d6b2f4e9a10';
const other = '0a8e2b4c-6d10-4f7e-8b3a-5c9d1e2f3a4b';
const SERVER = 'postgres://firstmile@127.0.0.1:5432/firstmile';

describe('loadPseudonymiser', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'firstmile-key-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('with the embedded database and no key, creates <dataDir>/pseudonym.key (mode 600) once and reuses it', async () => {
    const dataDir = path.join(dir, 'data');
    const first = await loadPseudonymiser(readConfig({ FIRSTMILE_DATA_DIR: dataDir }));
    const file = path.join(dataDir, 'pseudonym.key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(first.notes[0]).toMatch(/^pseudonym key: created .*pseudonym\.key; keep it with the data folder/);
    expect(first.warning).toBeNull();
    const second = await loadPseudonymiser(readConfig({ FIRSTMILE_DATA_DIR: dataDir }));
    expect(second.notes[0]).toMatch(/^pseudonym key: from /);
    expect(second.pseudonymiser.forOrganisation(org)('CASE-1')).toBe(first.pseudonymiser.forOrganisation(org)('CASE-1'));
    // The notes say where the key is, never what it is.
    const key = (await readFile(file, 'utf8')).trim();
    expect(JSON.stringify([first, second])).not.toContain(key);
  });

  it('takes the key from FIRSTMILE_PSEUDONYM_KEY or a key file, and links organisations only when told to', async () => {
    const fromEnv = await loadPseudonymiser(readConfig({ DATABASE_URL: SERVER, FIRSTMILE_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY }));
    expect(fromEnv.pseudonymiser.forOrganisation(org)('CASE-1')).toBe(testPseudonymiser().forOrganisation(org)('CASE-1'));
    const file = path.join(dir, 'secret.key');
    await writeFile(file, Buffer.from(TEST_PSEUDONYM_KEY, 'hex').toString('base64'));
    const fromFile = await loadPseudonymiser(readConfig({ DATABASE_URL: SERVER, FIRSTMILE_PSEUDONYM_KEY_FILE: file, FIRSTMILE_LINK_PEOPLE_ACROSS_ORGANISATIONS: 'true' }));
    expect(fromFile.pseudonymiser.forOrganisation(org)('CASE-1')).toBe(fromFile.pseudonymiser.forOrganisation(other)('CASE-1'));
    expect(fromFile.pseudonymiser.forOrganisation(org)('CASE-1')).toBe(testPseudonymiser({ linkAcrossOrganisations: true }).forOrganisation(org)('CASE-1'));
    expect(fromFile.notes[0]).toContain('linked across organisations');
  });

  it('refuses a key file it cannot read or use', async () => {
    await expect(loadPseudonymiser(readConfig({ FIRSTMILE_PSEUDONYM_KEY_FILE: path.join(dir, 'missing') }))).rejects.toThrow(ConfigError);
    const short = path.join(dir, 'short.key');
    await writeFile(short, 'abcd\n');
    await expect(loadPseudonymiser(readConfig({ FIRSTMILE_PSEUDONYM_KEY_FILE: short }))).rejects.toThrow(/holds 2 bytes; it must hold at least 32/);
  });

  it('with a database server and no key, warns and refuses raw identifiers', async () => {
    const loaded = await loadPseudonymiser(readConfig({ DATABASE_URL: SERVER, FIRSTMILE_DATA_DIR: path.join(dir, 'unused') }));
    expect(loaded.warning).toMatch(/no pseudonym key .* contacts with a raw person_id will be refused/);
    expect(loaded.pseudonymiser.unavailable).not.toBeNull();
    await expect(stat(path.join(dir, 'unused', 'pseudonym.key'))).rejects.toThrow();
  });
});
