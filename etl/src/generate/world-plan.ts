import type { OrganisationKind, Sector, ServiceKind } from '@firstmile/schema';
import { addDays, addMonths, dateToMs, quarterPeriods, type Period } from './calendar.ts';
import {
  organisationSpecs, placeSpecs, projectSpecs, statutoryServiceSpecs,
  type Costing, type NeedKind, type PlaceSpec,
} from './fictional-world.ts';
import { randomFor, uuidFor } from './random.ts';

export const defaultFirstQuarter = '2024-04-01';
export const defaultQuarters = 8;

export interface WorldWindow {
  firstQuarter: string;
  quarters: number;
  periods: Period[];
  /** Midnight UTC of the first day. */
  startMs: number;
  /** Midnight UTC of the day after the last. */
  endMs: number;
}

export interface PlannedPlace {
  code: string;
  name: string;
  peopleWeight: number;
  needs: PlaceSpec['needs'];
}

export interface PlannedOrganisation {
  id: string;
  slug: string;
  name: string;
  kind: OrganisationKind;
}

export interface PlannedProject {
  id: string;
  slug: string;
  organisationId: string;
  name: string;
  sector: Sector;
  placeCode: string;
  startedOn: string;
  serves: readonly NeedKind[];
}

export interface PlannedFunding {
  id: string;
  /** The provider that owns the funded project. */
  organisationId: string;
  projectId: string;
  funderId: string;
  fromDate: string;
  toDate: string | null;
  amountGbp: number;
}

export interface PlannedCommissionerPlace {
  organisationId: string;
  placeCode: string;
}

export interface PlannedService {
  id: string;
  organisationId: string;
  name: string;
  kind: ServiceKind;
  placeCode: string;
  projectId: string | null;
  costing: Costing;
  sourceIdPrefix: string | null;
  /** The needs people bring to it (for a project's team: the needs it resolves). */
  needs: readonly NeedKind[];
}

export interface WorldPlan {
  seed: number;
  window: WorldWindow;
  places: PlannedPlace[];
  organisations: PlannedOrganisation[];
  commissionerPlaces: PlannedCommissionerPlace[];
  projects: PlannedProject[];
  funding: PlannedFunding[];
  services: PlannedService[];
}

export interface WindowOptions {
  firstQuarter?: string;
  quarters?: number;
}

export function worldWindow(options: WindowOptions = {}): WorldWindow {
  const firstQuarter = options.firstQuarter ?? defaultFirstQuarter;
  const quarters = options.quarters ?? defaultQuarters;
  if (!/^\d{4}-\d{2}-01$/.test(firstQuarter)) {
    throw new RangeError(`firstQuarter must be the first day of a month (YYYY-MM-01), not ${firstQuarter}`);
  }
  if (!Number.isInteger(quarters) || quarters < 1 || quarters > 200) {
    throw new RangeError(`quarters must be a whole number from 1 to 200, not ${quarters}`);
  }
  const periods = quarterPeriods(firstQuarter, quarters);
  const last = periods[periods.length - 1] as Period;
  return { firstQuarter, quarters, periods, startMs: dateToMs(firstQuarter), endMs: dateToMs(addDays(last.end, 1)) };
}

function bySlug<T extends { slug: string }>(items: readonly T[], slug: string): T {
  const found = items.find((item) => item.slug === slug);
  if (!found) throw new Error(`the demo world has no ${slug}`);
  return found;
}

/**
 * The fixed part of a demo world: who exists, where, who funds whom and which services
 * people meet. Pure: the same seed and window give the same plan, ids included.
 */
export function planWorld(seed: number, options: WindowOptions = {}): WorldPlan {
  const window = worldWindow(options);
  const random = randomFor(seed, 'plan');

  const places: PlannedPlace[] = placeSpecs.map((p) => ({
    code: p.code, name: p.name, peopleWeight: p.peopleWeight, needs: p.needs,
  }));

  const organisations: PlannedOrganisation[] = organisationSpecs.map((o) => ({
    id: uuidFor(seed, `organisation:${o.slug}`), slug: o.slug, name: o.name, kind: o.kind,
  }));
  const orgId = (slug: string) => bySlug(organisations, slug).id;

  const commissionerPlaces: PlannedCommissionerPlace[] = placeSpecs.flatMap((p) =>
    p.commissioner ? [{ organisationId: orgId(p.commissioner), placeCode: p.code }] : [],
  );

  const projects: PlannedProject[] = projectSpecs.map((p) => ({
    id: uuidFor(seed, `project:${p.slug}`),
    slug: p.slug,
    organisationId: orgId(p.provider),
    name: p.name,
    sector: p.sector,
    placeCode: p.placeCode,
    startedOn: addMonths(window.firstQuarter, -p.startedMonthsBefore),
    serves: p.serves,
  }));

  const lastDay = addDays(addMonths(window.firstQuarter, 3 * window.quarters), -1);
  const funding: PlannedFunding[] = projectSpecs.flatMap((spec) => {
    const project = bySlug(projects, spec.slug);
    return spec.funding.map((f) => {
      // Grants run from the project's start (or a later round) to the end of the demo window.
      const fromDate = f.openEnded ? project.startedOn : addMonths(window.firstQuarter, -random.int(0, 6));
      const toDate = f.openEnded ? null : lastDay;
      const years = ((toDate ? dateToMs(toDate) : dateToMs(lastDay)) - dateToMs(fromDate)) / (365.25 * 86_400_000);
      const amountGbp = Math.round((f.perYearGbp * random.between(0.8, 1.2) * years) / 500) * 500;
      return {
        id: uuidFor(seed, `funding:${spec.slug}:${f.funder}`),
        organisationId: project.organisationId,
        projectId: project.id,
        funderId: orgId(f.funder),
        fromDate,
        toDate,
        amountGbp,
      };
    });
  });

  const statutory: PlannedService[] = placeSpecs.flatMap((place) => {
    if (!place.commissioner) return [];
    const owner = orgId(place.commissioner);
    return statutoryServiceSpecs.map((s) => ({
      id: uuidFor(seed, `service:${place.code}:${s.kind}`),
      organisationId: owner,
      name: s.name(place.name),
      kind: s.kind,
      placeCode: place.code,
      projectId: null,
      costing: s.costing,
      sourceIdPrefix: s.sourceIdPrefix,
      needs: s.needs,
    }));
  });
  const teams: PlannedService[] = projectSpecs.map((spec) => {
    const project = bySlug(projects, spec.slug);
    return {
      id: uuidFor(seed, `service:team:${spec.slug}`),
      organisationId: project.organisationId,
      name: spec.teamName,
      kind: 'community_project',
      placeCode: project.placeCode,
      projectId: project.id,
      // No published figure prices a project's conversation, so none is invented.
      costing: { kind: 'none' },
      sourceIdPrefix: null,
      needs: spec.serves,
    };
  });

  return {
    seed, window, places, organisations, commissionerPlaces, projects, funding, services: [...statutory, ...teams],
  };
}

/** A project by its slug, for the scenario builders and tests. */
export function projectBySlug(plan: WorldPlan, slug: string): PlannedProject {
  return bySlug(plan.projects, slug);
}

export function organisationBySlug(plan: WorldPlan, slug: string): PlannedOrganisation {
  return bySlug(plan.organisations, slug);
}

/** The service a project's own team works through. */
export function teamOf(plan: WorldPlan, projectId: string): PlannedService {
  const team = plan.services.find((s) => s.projectId === projectId);
  if (!team) throw new Error(`project ${projectId} has no team service`);
  return team;
}
