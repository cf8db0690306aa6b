import { describe, expect, it } from 'vitest';
import { quarterPeriods } from './calendar.ts';
import { planWorld, projectBySlug, teamOf, worldWindow } from './world-plan.ts';

describe('quarterPeriods', () => {
  it('makes consecutive three-month periods with inclusive ends', () => {
    expect(quarterPeriods('2024-04-01', 4)).toEqual([
      { start: '2024-04-01', end: '2024-06-30' },
      { start: '2024-07-01', end: '2024-09-30' },
      { start: '2024-10-01', end: '2024-12-31' },
      { start: '2025-01-01', end: '2025-03-31' },
    ]);
  });

  it('refuses windows that cannot be quarters', () => {
    expect(() => worldWindow({ firstQuarter: '2024-04-15' })).toThrow(RangeError);
    expect(() => worldWindow({ firstQuarter: '2024-13-01' })).toThrow(RangeError);
    expect(() => worldWindow({ quarters: 0 })).toThrow(RangeError);
  });
});

describe('planWorld', () => {
  const plan = planWorld(42);

  it('defaults to eight quarters from April 2024', () => {
    expect(plan.window.periods).toHaveLength(8);
    expect(plan.window.periods[0]).toEqual({ start: '2024-04-01', end: '2024-06-30' });
    expect(plan.window.periods[7]).toEqual({ start: '2026-01-01', end: '2026-03-31' });
  });

  it('has one platform, two or three funders, two commissioners and about eight providers', () => {
    const kinds = plan.organisations.map((o) => o.kind);
    const countOf = (k: string) => kinds.filter((x) => x === k).length;
    expect(countOf('platform')).toBe(1);
    expect(plan.organisations.find((o) => o.kind === 'platform')?.name).toBe('Firstmile platform');
    expect(countOf('funder')).toBeGreaterThanOrEqual(2);
    expect(countOf('funder')).toBeLessThanOrEqual(3);
    expect(countOf('commissioner')).toBe(2);
    expect(countOf('provider')).toBe(8);
  });

  it('uses only fictional place codes, each named by a place', () => {
    const named = new Set(plan.places.map((p) => p.code));
    for (const code of named) expect(code).toMatch(/^DEMO-[A-Z-]+$/);
    for (const code of [...plan.projects.map((p) => p.placeCode), ...plan.services.map((s) => s.placeCode), ...plan.commissionerPlaces.map((c) => c.placeCode)]) {
      expect(named.has(code), code).toBe(true);
    }
  });

  it('links funders to projects with dates and amounts, and commissioners to places', () => {
    const funders = new Set(plan.organisations.filter((o) => o.kind === 'funder').map((o) => o.id));
    expect(plan.funding.length).toBeGreaterThanOrEqual(plan.projects.length);
    for (const f of plan.funding) {
      expect(funders.has(f.funderId)).toBe(true);
      expect(f.amountGbp).toBeGreaterThan(0);
      if (f.toDate) expect(f.fromDate <= f.toDate).toBe(true);
    }
    const commissioners = new Set(plan.organisations.filter((o) => o.kind === 'commissioner').map((o) => o.id));
    expect(new Set(plan.commissionerPlaces.map((c) => c.organisationId))).toEqual(commissioners);
  });

  it('gives every place the statutory services, and every project its own team', () => {
    for (const place of plan.places.filter((p) => p.peopleWeight > 0)) {
      const kinds = plan.services.filter((s) => s.placeCode === place.code && s.projectId === null).map((s) => s.kind).sort();
      expect(kinds).toEqual(['emergency_department', 'gp_practice', 'housing_options', 'mental_health', 'probation', 'social_work']);
    }
    for (const project of plan.projects) {
      const team = teamOf(plan, project.id);
      expect(team.kind).toBe('community_project');
      expect(team.organisationId).toBe(project.organisationId);
    }
  });

  it('prices contacts only with published unit costs, always with their source', () => {
    const gp = plan.services.find((s) => s.kind === 'gp_practice');
    expect(gp?.costing).toEqual({ kind: 'per_contact', gbp: 38, source: 'GM UCD v1.4 HE20.2 (£38, 2013/14)' });
    expect(plan.services.find((s) => s.kind === 'emergency_department')?.costing).toMatchObject({ kind: 'per_contact', gbp: 109 });
    expect(plan.services.find((s) => s.kind === 'social_work')?.costing).toMatchObject({ kind: 'per_hour', gbp: 40 });
    for (const kind of ['housing_options', 'probation', 'mental_health', 'community_project'] as const) {
      expect(plan.services.find((s) => s.kind === kind)?.costing).toEqual({ kind: 'none' });
    }
  });

  it('is the same for the same seed, ids included, and different for another seed', () => {
    expect(planWorld(42)).toEqual(plan);
    const other = planWorld(43);
    expect(projectBySlug(other, 'homecoming-mentors').id).not.toBe(projectBySlug(plan, 'homecoming-mentors').id);
    const ids = [...plan.organisations, ...plan.projects, ...plan.funding, ...plan.services].map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
