import { Command, InvalidArgumentError } from 'commander';
import { openDatabase, roles, type Config, type Role } from '@firstmile/schema';
import { recordSystemAudit } from '../domain/audit.ts';
import { issueApiKey, platformOrganisation } from '../domain/keys/issue.ts';
import { DomainError } from '../domain/errors.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function roleArgument(raw: string): Role {
  if (!(roles as readonly string[]).includes(raw)) throw new InvalidArgumentError(`must be one of ${roles.join(', ')}`);
  return raw as Role;
}

function organisationArgument(raw: string): string {
  if (raw !== 'platform' && !uuidPattern.test(raw)) throw new InvalidArgumentError('must be an organisation id (a UUID) or "platform"');
  return raw.toLowerCase();
}

export function keysCommand(configFor: (options: { dataDir?: string }) => Config, fail: (message: string) => never): Command {
  const keys = new Command('keys').description('create, list and revoke API keys');
  keys
    .command('create')
    .description('create an API key and print it once (only its hash is stored)')
    .requiredOption('--org <id>', 'the organisation the key acts for; "platform" (admins) is created if missing', organisationArgument)
    .requiredOption('--role <role>', `one of ${roles.join(', ')}`, roleArgument)
    .option('--label <text>', 'a note for people, e.g. "CRM nightly upload"', '')
    .option('--data-dir <dir>', 'folder for the embedded database (ignored when DATABASE_URL is set)')
    .action(async (options: { org: string; role: Role; label: string; dataDir?: string }) => {
      const config = configFor(options);
      const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
      try {
        const created = await handle.db.transaction().execute(async (trx) => {
          const organisationId = options.org === 'platform' ? await platformOrganisation(trx) : options.org;
          const key = await issueApiKey(trx, { organisationId, role: options.role, label: options.label });
          await recordSystemAudit(trx, { action: 'api_key.create', entity: 'api_key', entityId: key.id, organisationId, details: { role: key.role, via: 'cli' } });
          return key;
        });
        console.error(`created a ${created.role} key ${created.id} for organisation ${created.organisation_id}; it is shown once:`);
        console.log(created.key);
      } catch (error) {
        if (error instanceof DomainError) fail(error.details ? `${error.message}: ${JSON.stringify(error.details)}` : error.message);
        throw error;
      } finally {
        await handle.close();
      }
    });
  keys
    .command('revoke')
    .description('revoke an API key: it answers 401 from then on')
    .argument('<keyId>', 'the key id (printed when it was created)')
    .option('--data-dir <dir>', 'folder for the embedded database (ignored when DATABASE_URL is set)')
    .action(async (keyId: string, options: { dataDir?: string }) => {
      if (!uuidPattern.test(keyId)) fail('the key id must be a UUID');
      const config = configFor(options);
      const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
      try {
        const row = await handle.db.transaction().execute(async (trx) => {
          const revoked = await trx.updateTable('api_keys').set({ revoked_at: new Date() }).where('id', '=', keyId).where('revoked_at', 'is', null).returning(['id', 'organisation_id']).executeTakeFirst();
          if (revoked) await recordSystemAudit(trx, { action: 'api_key.revoke', entity: 'api_key', entityId: keyId, organisationId: revoked.organisation_id, details: { via: 'cli' } });
          return revoked;
        });
        if (!row) fail(`no active key ${keyId}`);
        console.log(`revoked ${keyId}`);
      } finally {
        await handle.close();
      }
    });
  return keys;
}
