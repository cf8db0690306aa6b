import type { Kysely } from 'kysely';
import type { Database, Role } from '@firstmile/schema';
import { recordSystemAudit } from '../domain/audit.ts';
import { issueApiKey, platformOrganisation } from '../domain/keys/issue.ts';

export const demoKeyLabel = 'demo key (npm start)';

export interface DemoKey {
  role: Role;
  organisation: string;
  key: string;
}

/**
 * Fresh keys for each role at every demo start, since only hashes are stored and a key
 * cannot be shown twice; the previous start's demo keys are revoked.
 */
export async function issueDemoKeys(db: Kysely<Database>): Promise<DemoKey[]> {
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('api_keys').set({ revoked_at: new Date() }).where('label', '=', demoKeyLabel).where('revoked_at', 'is', null).execute();
    const platform = await platformOrganisation(trx);
    const first = async (kind: 'provider' | 'funder' | 'commissioner') =>
      trx.selectFrom('organisations').select(['id', 'name']).where('kind', '=', kind).where('archived_at', 'is', null).orderBy('name').executeTakeFirst();
    const provider = await first('provider');
    const funder = await first('funder');
    const commissioner = await first('commissioner');
    const wanted: Array<[Role, { id: string; name: string } | undefined]> = [
      ['admin', { id: platform, name: 'Firstmile platform' }],
      ['submitter', provider],
      ['analyst', provider],
      ['funder', funder],
      ['commissioner', commissioner],
    ];
    const keys: DemoKey[] = [];
    for (const [role, organisation] of wanted) {
      if (!organisation) continue;
      const created = await issueApiKey(trx, { organisationId: organisation.id, role, label: demoKeyLabel });
      await recordSystemAudit(trx, { action: 'api_key.create', entity: 'api_key', entityId: created.id, organisationId: organisation.id, details: { role, via: 'demo' } });
      keys.push({ role, organisation: organisation.name, key: created.key });
    }
    return keys;
  });
}
