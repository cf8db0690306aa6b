import type { Kysely } from 'kysely';
import type { Database, Role } from '@firstmile/schema';
import { issueApiKey, platformOrganisation } from '../domain/keys/issue.ts';

/** Two providers, a funder, a commissioner and the platform, each with keys: enough to test who sees what. */
export interface Tenants {
  ids: {
    platform: string;
    providerA: string;
    providerB: string;
    funder: string;
    commissioner: string;
    projectA: string;
    projectB: string;
    serviceA: string;
    serviceB: string;
  };
  keys: {
    admin: string;
    submitterA: string;
    analystA: string;
    submitterB: string;
    funder: string;
    commissioner: string;
  };
}

async function key(db: Kysely<Database>, organisationId: string, role: Role): Promise<string> {
  return (await issueApiKey(db, { organisationId, role, label: `test ${role}` })).key;
}

/** Creates the tenants through the system connection (as `firstmile keys create` does). */
export async function createTenants(db: Kysely<Database>): Promise<Tenants> {
  const platform = await platformOrganisation(db);
  const orgs = await db
    .insertInto('organisations')
    .values([
      { name: 'Harbour Mentors', kind: 'provider' },
      { name: 'Northfield Housing Team', kind: 'provider' },
      { name: 'Riverside Community Fund', kind: 'funder' },
      { name: 'Northfield Integrated Care', kind: 'commissioner' },
    ])
    .returning('id')
    .execute();
  const [providerA, providerB, funder, commissioner] = orgs.map((o) => o.id) as [string, string, string, string];
  const project = async (organisation_id: string, name: string, place_code: string) =>
    (await db.insertInto('projects').values({ organisation_id, name, sector: 'community', place_code, started_on: '2024-01-01' }).returning('id').executeTakeFirstOrThrow()).id;
  const projectA = await project(providerA, 'Through the Gate', 'DEMO-HARBOUR');
  const projectB = await project(providerB, 'Talk First', 'DEMO-NORTHFIELD');
  const service = async (organisation_id: string, project_id: string, place_code: string) =>
    (await db.insertInto('services').values({ organisation_id, name: 'Project team', kind: 'community_project', place_code, project_id }).returning('id').executeTakeFirstOrThrow()).id;
  const serviceA = await service(providerA, projectA, 'DEMO-HARBOUR');
  const serviceB = await service(providerB, projectB, 'DEMO-NORTHFIELD');
  // The funder funds B's project during 2024 and 2025; the commissioner holds B's place.
  await db.insertInto('funding').values({ organisation_id: providerB, project_id: projectB, funder_id: funder, from_date: '2024-01-01', to_date: '2025-12-31', amount_gbp: 120000 }).execute();
  await db.insertInto('commissioner_places').values({ organisation_id: commissioner, place_code: 'DEMO-NORTHFIELD' }).execute();
  return {
    ids: { platform, providerA, providerB, funder, commissioner, projectA, projectB, serviceA, serviceB },
    keys: {
      admin: await key(db, platform, 'admin'),
      submitterA: await key(db, providerA, 'submitter'),
      analystA: await key(db, providerA, 'analyst'),
      submitterB: await key(db, providerB, 'submitter'),
      funder: await key(db, funder, 'funder'),
      commissioner: await key(db, commissioner, 'commissioner'),
    },
  };
}
