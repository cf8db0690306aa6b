import type { OrganisationKind, Sector, ServiceKind } from '@firstmile/schema';

/**
 * The cast of the demo world. Every name and place is invented: no real charity, council
 * or ONS area code appears, so nothing here can be mistaken for a real organisation's data.
 * The seed varies ids, amounts and people; this cast stays the same in every world.
 */

export const needKinds = ['offending', 'home', 'connection', 'care', 'end_of_life', 'health'] as const;
export type NeedKind = (typeof needKinds)[number];

export interface PlaceSpec {
  code: string;
  name: string;
  /** Share of the world's people who live here; 0 for the comparator area. */
  peopleWeight: number;
  /** What brings people here into contact with services, and how often. */
  needs: readonly (readonly [NeedKind, number])[];
  /** The commissioner that holds the place and runs its statutory services. */
  commissioner: string | null;
}

export const placeSpecs: readonly PlaceSpec[] = [
  {
    code: 'DEMO-NORTHFIELD', name: 'Northfield', peopleWeight: 0.3, commissioner: 'northfield-ashbrook-partnership',
    needs: [['offending', 0.3], ['end_of_life', 0.15], ['health', 0.35], ['home', 0.2]],
  },
  {
    code: 'DEMO-ASHBROOK', name: 'Ashbrook', peopleWeight: 0.25, commissioner: 'northfield-ashbrook-partnership',
    needs: [['connection', 0.45], ['health', 0.4], ['home', 0.15]],
  },
  {
    code: 'DEMO-MILLBROOK', name: 'Millbrook', peopleWeight: 0.25, commissioner: 'millbrook-hartley-council',
    needs: [['offending', 0.3], ['care', 0.3], ['connection', 0.2], ['health', 0.2]],
  },
  {
    code: 'DEMO-HARTLEY', name: 'Hartley', peopleWeight: 0.2, commissioner: 'millbrook-hartley-council',
    needs: [['offending', 0.3], ['home', 0.4], ['health', 0.3]],
  },
  // Ashbrook's comparator area: it appears in comparator series, never as a place people live.
  { code: 'DEMO-WESTMERE', name: 'Westmere (comparator area)', peopleWeight: 0, commissioner: null, needs: [] },
];

export interface OrganisationSpec {
  slug: string;
  name: string;
  kind: OrganisationKind;
}

export const organisationSpecs: readonly OrganisationSpec[] = [
  { slug: 'platform', name: 'Firstmile platform', kind: 'platform' },
  { slug: 'larkspur', name: 'Larkspur Community Trust', kind: 'funder' },
  { slug: 'halloran', name: 'The Halloran Foundation', kind: 'funder' },
  { slug: 'copperbeech', name: 'Copperbeech Fund', kind: 'funder' },
  { slug: 'northfield-ashbrook-partnership', name: 'Northfield and Ashbrook Health and Care Partnership', kind: 'commissioner' },
  { slug: 'millbrook-hartley-council', name: 'Millbrook and Hartley Borough Council', kind: 'commissioner' },
  { slug: 'wayfinder', name: 'Wayfinder Mentoring Circle', kind: 'provider' },
  { slug: 'willowgate', name: "Willowgate Women's Centre", kind: 'provider' },
  { slug: 'kestrel', name: 'Kestrel Youth Mentors', kind: 'provider' },
  { slug: 'hartley-peers', name: 'Hartley Peer Support Network', kind: 'provider' },
  { slug: 'millbrook-trust', name: 'Millbrook Neighbourhood Trust', kind: 'provider' },
  { slug: 'ashbrook-together', name: 'Ashbrook Together CIC', kind: 'provider' },
  { slug: 'hartley-homes', name: 'Hartley Homes Cooperative', kind: 'provider' },
  { slug: 'northfield-hospice', name: 'Northfield Hospice at Home', kind: 'provider' },
];

export interface FundingSpec {
  funder: string;
  /** Roughly what the funder gives a year; the seed moves it by up to a fifth. */
  perYearGbp: number;
  /** Open-ended grants have no end date. */
  openEnded: boolean;
}

export interface ProjectSpec {
  slug: string;
  provider: string;
  name: string;
  sector: Sector;
  placeCode: string;
  /** How long before the first demo quarter the project began. */
  startedMonthsBefore: number;
  /** The needs its own team resolves in a relational conversation. */
  serves: readonly NeedKind[];
  teamName: string;
  funding: readonly FundingSpec[];
}

export const projectSpecs: readonly ProjectSpec[] = [
  {
    slug: 'homecoming-mentors', provider: 'wayfinder', name: 'Homecoming Mentors', sector: 'justice',
    placeCode: 'DEMO-NORTHFIELD', startedMonthsBefore: 30, serves: ['offending'], teamName: 'Homecoming Mentors team',
    funding: [{ funder: 'larkspur', perYearGbp: 120_000, openEnded: false }, { funder: 'halloran', perYearGbp: 40_000, openEnded: true }],
  },
  {
    slug: 'willowgate-mentoring', provider: 'willowgate', name: 'Willowgate Mentoring', sector: 'justice',
    placeCode: 'DEMO-NORTHFIELD', startedMonthsBefore: 18, serves: ['offending'], teamName: 'Willowgate mentoring team',
    funding: [{ funder: 'halloran', perYearGbp: 55_000, openEnded: false }],
  },
  {
    slug: 'kestrel-youth-mentoring', provider: 'kestrel', name: 'Kestrel Youth Mentoring', sector: 'justice',
    placeCode: 'DEMO-MILLBROOK', startedMonthsBefore: 24, serves: ['offending'], teamName: 'Kestrel mentors',
    funding: [{ funder: 'copperbeech', perYearGbp: 90_000, openEnded: false }],
  },
  {
    slug: 'hartley-peer-mentors', provider: 'hartley-peers', name: 'Hartley Peer Mentors', sector: 'justice',
    placeCode: 'DEMO-HARTLEY', startedMonthsBefore: 12, serves: ['offending'], teamName: 'Hartley peer mentors',
    funding: [{ funder: 'larkspur', perYearGbp: 70_000, openEnded: false }],
  },
  {
    slug: 'steady-steps', provider: 'millbrook-trust', name: 'Steady Steps', sector: 'justice',
    placeCode: 'DEMO-MILLBROOK', startedMonthsBefore: 9, serves: ['offending'], teamName: 'Steady Steps mentors',
    funding: [{ funder: 'copperbeech', perYearGbp: 60_000, openEnded: false }],
  },
  {
    slug: 'ashbrook-connects', provider: 'ashbrook-together', name: 'Ashbrook Connects', sector: 'community',
    placeCode: 'DEMO-ASHBROOK', startedMonthsBefore: 15, serves: ['connection', 'health'], teamName: 'Ashbrook connectors',
    funding: [{ funder: 'larkspur', perYearGbp: 180_000, openEnded: false }, { funder: 'copperbeech', perYearGbp: 50_000, openEnded: true }],
  },
  {
    slug: 'home-conversations', provider: 'hartley-homes', name: 'Home Conversations', sector: 'housing',
    placeCode: 'DEMO-HARTLEY', startedMonthsBefore: 6, serves: ['home'], teamName: 'Hartley Homes housing team',
    funding: [{ funder: 'halloran', perYearGbp: 85_000, openEnded: false }],
  },
  {
    slug: 'palliative-at-home', provider: 'northfield-hospice', name: 'Palliative Care at Home', sector: 'health',
    placeCode: 'DEMO-NORTHFIELD', startedMonthsBefore: 36, serves: ['end_of_life'], teamName: 'Community palliative care team',
    funding: [{ funder: 'halloran', perYearGbp: 150_000, openEnded: true }],
  },
  {
    slug: 'community-connectors', provider: 'millbrook-trust', name: 'Community Connectors', sector: 'social_care',
    placeCode: 'DEMO-MILLBROOK', startedMonthsBefore: 20, serves: ['care', 'connection'], teamName: 'Millbrook community connectors',
    funding: [{ funder: 'copperbeech', perYearGbp: 75_000, openEnded: false }],
  },
];

/** How a service prices a contact. */
export type Costing =
  | { kind: 'per_contact'; gbp: number; source: string }
  | { kind: 'per_hour'; gbp: number; source: string }
  | { kind: 'none' };

export interface StatutoryServiceSpec {
  kind: ServiceKind;
  name: (placeName: string) => string;
  costing: Costing;
  /** Some services send their own record ids; others send none. */
  sourceIdPrefix: string | null;
  /** The needs that bring people to it. */
  needs: readonly NeedKind[];
}

// Published unit costs only (GM Unit Cost Database v1.4); where none fits, no cost at all.
export const statutoryServiceSpecs: readonly StatutoryServiceSpec[] = [
  {
    kind: 'gp_practice', name: (p) => `${p} Medical Practice`, sourceIdPrefix: 'gp',
    costing: { kind: 'per_contact', gbp: 38, source: 'GM UCD v1.4 HE20.2 (£38, 2013/14)' },
    needs: ['offending', 'home', 'connection', 'care', 'end_of_life', 'health'],
  },
  {
    kind: 'emergency_department', name: (p) => `${p} General Hospital emergency department`, sourceIdPrefix: null,
    costing: { kind: 'per_contact', gbp: 109, source: 'GM UCD v1.4 HE4.0 (£109, 2011/12)' },
    needs: ['connection', 'care', 'end_of_life', 'health'],
  },
  {
    kind: 'housing_options', name: (p) => `${p} housing options team`, sourceIdPrefix: 'hopt',
    costing: { kind: 'none' }, needs: ['offending', 'home'],
  },
  {
    kind: 'probation', name: (p) => `${p} probation office`, sourceIdPrefix: 'prob',
    costing: { kind: 'none' }, needs: ['offending'],
  },
  {
    kind: 'social_work', name: (p) => `${p} adult social work team`, sourceIdPrefix: null,
    costing: { kind: 'per_hour', gbp: 40, source: 'GM UCD v1.4 SS18.1 (£40 per hour, 2013/14); each contact costed at £40 × minutes ÷ 60' },
    needs: ['home', 'connection', 'care', 'end_of_life'],
  },
  {
    kind: 'mental_health', name: (p) => `${p} community mental health team`, sourceIdPrefix: null,
    costing: { kind: 'none' }, needs: ['offending', 'connection', 'end_of_life', 'health'],
  },
];
