import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, parsePseudonymKey, readConfig } from './config.ts';

const hexKey = randomBytes(32).toString('hex');

describe('readConfig', () => {
  it('defaults: embedded database, no pseudonym key given, people not linked across organisations', () => {
    const config = readConfig({}, '/srv/app');
    expect(config).toMatchObject({ databaseUrl: null, dataDir: '/srv/app/.firstmile', host: '127.0.0.1', port: 3000 });
    expect(config.pseudonymKey).toEqual({ from: 'none' });
    expect(config.linkPeopleAcrossOrganisations).toBe(false);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the pseudonym key from the environment as a key object that never prints its bytes', () => {
    const config = readConfig({ FIRSTMILE_PSEUDONYM_KEY: `  ${hexKey}\n` }, '/');
    if (config.pseudonymKey.from !== 'environment') throw new Error('expected a key from the environment');
    expect(config.pseudonymKey.key.export().toString('hex')).toBe(hexKey);
    expect(`${inspect(config, { depth: 5 })} ${JSON.stringify(config)}`).not.toContain(hexKey);
  });

  it('takes a key file path, resolved against the working directory', () => {
    expect(readConfig({ FIRSTMILE_PSEUDONYM_KEY_FILE: 'secrets/key' }, '/srv/app').pseudonymKey).toEqual({ from: 'file', path: '/srv/app/secrets/key' });
  });

  it('refuses both a key and a key file, and a key it cannot use, without repeating it', () => {
    expect(() => readConfig({ FIRSTMILE_PSEUDONYM_KEY: hexKey, FIRSTMILE_PSEUDONYM_KEY_FILE: '/k' })).toThrow(ConfigError);
    for (const bad of ['short-but-base64url', randomBytes(31).toString('hex'), 'not a key!', randomBytes(20).toString('base64')]) {
      let message = '';
      try {
        readConfig({ FIRSTMILE_PSEUDONYM_KEY: bad });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message, bad).toMatch(/^FIRSTMILE_PSEUDONYM_KEY (holds \d+ bytes|must be written as hex or base64)/);
      expect(message).not.toContain(bad);
    }
  });

  it('reads linking across organisations as true or false, nothing else', () => {
    expect(readConfig({ FIRSTMILE_LINK_PEOPLE_ACROSS_ORGANISATIONS: 'true' }).linkPeopleAcrossOrganisations).toBe(true);
    expect(readConfig({ FIRSTMILE_LINK_PEOPLE_ACROSS_ORGANISATIONS: 'FALSE' }).linkPeopleAcrossOrganisations).toBe(false);
    expect(() => readConfig({ FIRSTMILE_LINK_PEOPLE_ACROSS_ORGANISATIONS: 'yes' })).toThrow('FIRSTMILE_LINK_PEOPLE_ACROSS_ORGANISATIONS must be true or false, not "yes"');
  });

  it('reads the episode gap in whole days, 30 by default', () => {
    expect(readConfig({}).episodeGapDays).toBe(30);
    expect(readConfig({ FIRSTMILE_EPISODE_GAP_DAYS: ' 45 ' }).episodeGapDays).toBe(45);
    for (const bad of ['0', '2.5', '-3', 'thirty', '3651']) {
      expect(() => readConfig({ FIRSTMILE_EPISODE_GAP_DAYS: bad }), bad).toThrow(`FIRSTMILE_EPISODE_GAP_DAYS must be a whole number from 1 to 3650, not "${bad}"`);
    }
  });
});

describe('parsePseudonymKey', () => {
  it('takes hex, base64 and base64url of at least 32 bytes', () => {
    const bytes = randomBytes(48);
    for (const text of [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex').toUpperCase()]) {
      expect(parsePseudonymKey(text, 'the key').export().equals(bytes), text).toBe(true);
    }
  });
});
