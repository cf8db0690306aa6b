import { describe, expect, it } from 'vitest';
import { ApiKey, ApiKeyCreate, ApiKeyCreated, ApiKeyUpdate } from './api-key.ts';
import { Funding, FundingCreate, FundingUpdate } from './funding.ts';
import { Metric, MetricCreate, MetricKeyParams, MetricUpdate } from './metric.ts';
import { Organisation, OrganisationCreate, OrganisationUpdate } from './organisation.ts';
import {
  CommissionerPlace, CommissionerPlaceCreate, CommissionerPlaceParams, Place, PlaceCodeParams, PlaceCreate, PlaceUpdate,
} from './place.ts';
import { Project, ProjectCreate, ProjectUpdate } from './project.ts';
import { Service, ServiceCreate, ServiceUpdate } from './service.ts';
import { accepted, problems } from './test-helpers.ts';

const ID = '7d9e4c3f-1a4c-4e9d-8b7a-6f5e4d3c2b1a';
const ID2 = '0b7d9e4c-3f1a-4c8e-9d2b-7a6f5e4d3c2b';
const AT = '2026-01-05T09:00:00.000Z';
const lifecycle = { created_at: AT, archived_at: null };
const NO_CHANGE = [{ path: '', message: 'give at least one field to change' }];

describe('organisations', () => {
  it('create: name and kind', () => {
    expect(accepted(OrganisationCreate, { name: ' Bridges Trust ', kind: 'provider' })).toEqual({ name: 'Bridges Trust', kind: 'provider' });
    expect(problems(OrganisationCreate, { name: '', kind: 'charity', colour: 'teal' })).toEqual([
      { path: 'name', message: 'must not be empty' },
      { path: 'kind', message: 'Invalid option: expected one of "provider"|"funder"|"commissioner"|"platform"' },
      { path: 'colour', message: 'unknown field' },
    ]);
  });

  it('update: at least one field, and never the kind', () => {
    expect(problems(OrganisationUpdate, {})).toEqual(NO_CHANGE);
    expect(problems(OrganisationUpdate, { kind: 'funder' })).toEqual([{ path: 'kind', message: 'unknown field' }, ...NO_CHANGE]);
    expect(accepted(OrganisationUpdate, { archived: true })).toEqual({ archived: true });
  });

  it('response', () => {
    const org = { id: ID, name: 'Bridges Trust', kind: 'provider', ...lifecycle };
    expect(accepted(Organisation, org)).toEqual(org);
  });
});

describe('projects', () => {
  const project = { name: 'First Contact', sector: 'justice', place_code: 'E08000003', started_on: '2019-04-01' };

  it('create', () => {
    expect(accepted(ProjectCreate, project)).toEqual(project);
    expect(accepted(ProjectCreate, { ...project, organisation_id: ID }).organisation_id).toBe(ID);
    expect(problems(ProjectCreate, { ...project, sector: 'Justice', place_code: 'E'.repeat(65), started_on: '1899-12-31' })).toEqual([
      { path: 'sector', message: 'Invalid option: expected one of "justice"|"health"|"social_care"|"housing"|"community"|"education"|"other"' },
      { path: 'place_code', message: 'must be at most 64 characters' },
      { path: 'started_on', message: 'must lie between 1900-01-01 and 2200-12-31' },
    ]);
  });

  it('update', () => {
    expect(problems(ProjectUpdate, {})).toEqual(NO_CHANGE);
    expect(accepted(ProjectUpdate, { place_code: 'E08000004' })).toEqual({ place_code: 'E08000004' });
    expect(problems(ProjectUpdate, { started_on: '2019-02-30' })).toEqual([
      { path: 'started_on', message: 'must be a real calendar date written YYYY-MM-DD' },
    ]);
  });

  it('response', () => {
    const p = { id: ID, organisation_id: ID2, ...project, ...lifecycle };
    expect(accepted(Project, p)).toEqual(p);
  });
});

describe('funding', () => {
  const funding = { funder_id: ID, project_id: ID2, from: '2025-04-01', to: '2026-03-31', amount_gbp: 125_000.5 };

  it('create: from must not come after to', () => {
    expect(accepted(FundingCreate, funding)).toEqual(funding);
    expect(accepted(FundingCreate, { ...funding, to: '2025-04-01' }).to).toBe('2025-04-01');
    const { to: _to, ...openEnded } = funding;
    expect(accepted(FundingCreate, openEnded)).toEqual(openEnded);
    expect(problems(FundingCreate, { ...funding, to: '2025-03-31' })).toEqual([{ path: 'to', message: 'must not be before from' }]);
    expect(problems(FundingCreate, { ...funding, amount_gbp: -1, from_date: '2025-04-01' })).toEqual([
      { path: 'amount_gbp', message: 'must not be negative' },
      { path: 'from_date', message: 'unknown field' },
    ]);
  });

  it('update: compares the dates it is given; null reopens the end', () => {
    expect(problems(FundingUpdate, {})).toEqual(NO_CHANGE);
    expect(accepted(FundingUpdate, { to: null })).toEqual({ to: null });
    expect(problems(FundingUpdate, { from: '2026-01-01', to: '2025-01-01' })).toEqual([{ path: 'to', message: 'must not be before from' }]);
  });

  it('response', () => {
    const f = { id: ID, organisation_id: ID2, ...funding, to: null, ...lifecycle };
    expect(accepted(Funding, f)).toEqual(f);
  });
});

describe('places', () => {
  it('create, update and respond', () => {
    expect(accepted(PlaceCreate, { code: 'E08000003', name: 'Manchester' })).toEqual({ code: 'E08000003', name: 'Manchester' });
    expect(problems(PlaceUpdate, {})).toEqual(NO_CHANGE);
    expect(accepted(Place, { code: 'E08000003', name: 'Manchester', created_at: AT })).toEqual({ code: 'E08000003', name: 'Manchester', created_at: AT });
  });

  it('links a commissioner to a place', () => {
    expect(problems(CommissionerPlaceCreate, { place_code: '  ' })).toEqual([{ path: 'place_code', message: 'must not be empty' }]);
    const link = { organisation_id: ID, place_code: 'E08000003', ...lifecycle };
    expect(accepted(CommissionerPlace, link)).toEqual(link);
  });

  it('path parameters: a place code, and an organisation id with a place code', () => {
    expect(accepted(PlaceCodeParams, { code: 'E08000003' })).toEqual({ code: 'E08000003' });
    expect(problems(PlaceCodeParams, { code: 'E'.repeat(65) })).toEqual([{ path: 'code', message: 'must be at most 64 characters' }]);
    expect(accepted(CommissionerPlaceParams, { id: ID, placeCode: 'E08000003' })).toEqual({ id: ID, placeCode: 'E08000003' });
    expect(problems(CommissionerPlaceParams, { id: 'x', placeCode: ' ' })).toEqual([
      { path: 'id', message: 'must be a UUID' },
      { path: 'placeCode', message: 'must not be empty' },
    ]);
  });
});

describe('services', () => {
  const service = { name: 'Ancoats GP', kind: 'gp_practice', place_code: 'E08000003' };

  it('create: a unit cost needs its source', () => {
    expect(accepted(ServiceCreate, service)).toEqual(service);
    accepted(ServiceCreate, { ...service, unit_cost_gbp_per_contact: 38, unit_cost_source: 'GM UCD v1.4 HE20.2' });
    expect(problems(ServiceCreate, { ...service, unit_cost_gbp_per_contact: 38 })).toEqual([
      { path: 'unit_cost_source', message: 'is required when unit_cost_gbp_per_contact is given' },
    ]);
    expect(problems(ServiceCreate, { ...service, kind: 'pharmacy' })).toEqual([
      {
        path: 'kind',
        message: 'Invalid option: expected one of "gp_practice"|"emergency_department"|"hospital"|"housing_options"|"probation"|"social_work"|"mental_health"|"police"|"community_project"|"other"',
      },
    ]);
  });

  it('update: a new unit cost needs its source; null clears', () => {
    expect(problems(ServiceUpdate, {})).toEqual(NO_CHANGE);
    expect(accepted(ServiceUpdate, { unit_cost_gbp_per_contact: null })).toEqual({ unit_cost_gbp_per_contact: null });
    expect(problems(ServiceUpdate, { unit_cost_gbp_per_contact: 40, unit_cost_source: null })).toEqual([
      { path: 'unit_cost_source', message: 'is required when unit_cost_gbp_per_contact is given' },
    ]);
  });

  it('response', () => {
    const s = { id: ID, organisation_id: ID2, ...service, project_id: null, unit_cost_gbp_per_contact: null, unit_cost_source: null, ...lifecycle };
    expect(accepted(Service, s)).toEqual(s);
  });
});

describe('metrics', () => {
  const metric = { key: 'tenancy_sustained', label: 'Tenancy sustained', kind: 'proportion', polarity: 'higher_is_better', theme: 'outcome' };

  it('create: a slug key; description defaults to empty', () => {
    expect(accepted(MetricCreate, metric)).toEqual({ ...metric, description: '' });
    expect(problems(MetricCreate, { ...metric, key: 'Tenancy-Sustained', description: 'd'.repeat(2001) })).toEqual([
      { path: 'key', message: 'must be 2–63 characters of a–z, 0–9 and _, starting with a letter' },
      { path: 'description', message: 'must be at most 2000 characters' },
    ]);
  });

  it('path parameters: a metric key', () => {
    expect(accepted(MetricKeyParams, { key: 'ae_attendances' })).toEqual({ key: 'ae_attendances' });
    expect(problems(MetricKeyParams, { key: 'AE' })).toEqual([
      { path: 'key', message: 'must be 2–63 characters of a–z, 0–9 and _, starting with a letter' },
    ]);
  });

  it('update: never the key or kind', () => {
    expect(problems(MetricUpdate, { kind: 'count', label: 'Count' })).toEqual([{ path: 'kind', message: 'unknown field' }]);
    expect(accepted(MetricUpdate, { unit_cost_code: null })).toEqual({ unit_cost_code: null });
  });

  it('response carries the unit cost with its provenance', () => {
    const m = {
      ...metric, key: 'ae_attendances', kind: 'count', polarity: 'lower_is_better', organisation_id: null, description: 'A&E.',
      unit_cost: {
        code: 'gm-ucd-1.4/HE4.0', source_reference: 'HE4.0', label: 'A&E attendance', unit: 'per attendance', value_gbp: 109,
        price_year: '2011/12', source: 'GMCA Unit Cost Database', edition: 'v1.4 (March 2015)', licence: 'CC BY 4.0',
      },
      ...lifecycle,
    };
    expect(accepted(Metric, m)).toEqual(m);
    expect(problems(Metric, { ...m, unit_cost: { ...m.unit_cost, price_year: '2011' } })).toEqual([
      { path: 'unit_cost.price_year', message: 'must be a financial year such as 2013/14' },
    ]);
  });
});

describe('API keys', () => {
  it('create: organisation and role; the label defaults to empty', () => {
    expect(accepted(ApiKeyCreate, { organisation_id: ID, role: 'submitter' })).toEqual({ organisation_id: ID, role: 'submitter', label: '' });
    expect(problems(ApiKeyCreate, { organisation_id: 'me', role: 'owner', label: 'l'.repeat(201) })).toEqual([
      { path: 'organisation_id', message: 'must be a UUID' },
      { path: 'role', message: 'Invalid option: expected one of "submitter"|"funder"|"analyst"|"commissioner"|"admin"' },
      { path: 'label', message: 'must be at most 200 characters' },
    ]);
  });

  it('update: revoking cannot be undone', () => {
    expect(accepted(ApiKeyUpdate, { revoked: true })).toEqual({ revoked: true });
    expect(problems(ApiKeyUpdate, { revoked: false })).toEqual([{ path: 'revoked', message: 'Invalid input: expected true' }]);
    expect(problems(ApiKeyUpdate, {})).toEqual(NO_CHANGE);
  });

  it('the create response shows the key; the listing never does', () => {
    const key = { id: ID, organisation_id: ID2, role: 'analyst', label: '', created_at: AT };
    expect(accepted(ApiKeyCreated, { ...key, key: 'fm_live_abc123' }).key).toBe('fm_live_abc123');
    const listed = { ...key, last_used_at: null, revoked_at: null };
    expect(accepted(ApiKey, listed)).toEqual(listed);
    expect(problems(ApiKey, { ...listed, key: 'fm_live_abc123' })).toEqual([{ path: 'key', message: 'unknown field' }]);
  });
});
