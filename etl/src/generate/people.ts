import type { Channel, ContactOutcome } from '@firstmile/schema';
import { DAY_MS, MINUTE_MS } from './calendar.ts';
import type { NeedKind } from './fictional-world.ts';
import { choosePathway, needSteps, type NeedServices, type NeedStep, type Pathway } from './pathways.ts';
import { personRef } from './pseudonyms.ts';
import { randomFor, type Random } from './random.ts';
import type { PlannedPlace, PlannedService, WorldPlan } from './world-plan.ts';

/** One contact as the generator makes it; `contactCopyLine` turns it into a COPY row. */
export interface ContactDraft {
  organisationId: string;
  serviceId: string;
  personRef: string;
  needRef: string | null;
  /** Milliseconds since the epoch, UTC, on a whole minute. */
  occurredAtMs: number;
  minutes: number;
  costGbp: number | null;
  channel: Channel;
  outcome: ContactOutcome;
  sourceContactId: string | null;
}

export interface NeedSummary {
  needRef: string | null;
  kind: NeedKind;
  pathway: Pathway;
  contacts: number;
}

export interface PersonContacts {
  index: number;
  personRef: string;
  placeCode: string;
  needs: NeedSummary[];
  /** In time order, each at a distinct minute. */
  contacts: ContactDraft[];
}

export interface PeopleOptions {
  people: number;
  /** Start part-way through the world (person indexes are 0-based). */
  firstIndex?: number;
}

/** Services never record the need for a few people: their episodes are found by the 30-day gap. */
const shareWithNeedRefs = 0.85;
/** Days with no contact after which an episode without need_ref ends (the ETL's default). */
const episodeGapDays = 30;

interface PlaceServices {
  place: PlannedPlace;
  byNeed: Map<NeedKind, NeedServices>;
}

/** What every person is drawn from, worked out once per world rather than once per person. */
interface PeopleContext {
  plan: WorldPlan;
  places: readonly (readonly [PlaceServices, number])[];
  windowDays: number;
}

const needsPerPerson = [[1, 0.25], [2, 0.4], [3, 0.25], [4, 0.1]] as const;

function peopleContext(plan: WorldPlan): PeopleContext {
  const places = servicesByPlace(plan).map((p) => [p, p.place.peopleWeight] as const);
  return { plan, places, windowDays: Math.round((plan.window.endMs - plan.window.startMs) / DAY_MS) };
}

function servicesByPlace(plan: WorldPlan): PlaceServices[] {
  return plan.places
    .filter((place) => place.peopleWeight > 0)
    .map((place) => {
      const here = plan.services.filter((s) => s.placeCode === place.code);
      const byNeed = new Map<NeedKind, NeedServices>();
      for (const [kind] of place.needs) {
        const statutory = here.filter((s) => s.projectId === null && s.needs.includes(kind));
        if (statutory.length === 0) throw new Error(`${place.code} has no service for ${kind} needs`);
        byNeed.set(kind, { statutory, teams: here.filter((s) => s.projectId !== null && s.needs.includes(kind)) });
      }
      return { place, byNeed };
    });
}

function costOf(service: PlannedService, minutes: number): number | null {
  switch (service.costing.kind) {
    // Left empty so the service's own unit cost applies, as the design says it should.
    case 'per_contact':
      return null;
    case 'per_hour':
      return Math.round(service.costing.gbp * minutes * 100 / 60) / 100;
    case 'none':
      return null;
    default: {
      const unknown: never = service.costing;
      throw new Error(`unknown costing ${JSON.stringify(unknown)}`);
    }
  }
}

/** Working hours for most services; an emergency department at any hour. */
function minuteOfDay(random: Random, service: PlannedService): number {
  if (service.kind === 'emergency_department') return random.int(0, 24 * 60 - 1);
  if (service.kind === 'community_project') return random.int(9 * 60, 19 * 60 + 59);
  return random.int(8 * 60, 17 * 60 + 59);
}

function spanDays(steps: readonly NeedStep[]): number {
  return steps.reduce((days, step) => days + step.gapDays, 0);
}

/** One synthetic person and every contact they have, from their own random stream. */
function personAt({ plan, places, windowDays }: PeopleContext, index: number): PersonContacts {
  const { seed, window } = plan;
  const random = randomFor(seed, 'person', index);
  const ref = personRef(seed, index);
  const { place, byNeed } = random.weighted(places);
  const labelled = random.chance(shareWithNeedRefs);
  const needCount = random.weighted(needsPerPerson);

  const needs: NeedSummary[] = [];
  const contacts: ContactDraft[] = [];
  let nextFreeDay = 0;
  const planned = Array.from({ length: needCount }, () => {
    const kind = random.weighted(place.needs);
    const services = byNeed.get(kind) as NeedServices;
    const pathway = choosePathway(random, kind, services);
    return { kind, pathway, steps: needSteps(random, pathway, services) };
  });
  // Without need refs the needs come one after another, more than 30 days apart, so the
  // ETL's gap rule finds the same episodes the generator made.
  const sequentialDays = planned.reduce((days, p) => days + spanDays(p.steps) + episodeGapDays + 1, 0);

  for (const { kind, pathway, steps } of planned) {
    // The palliative scenario is always recorded against its need, so it can be read exactly.
    // 128 random bits: an opaque key that never repeats in practice, and costs no HMAC.
    const needKey = labelled || kind === 'end_of_life' ? `need-${random.hex(32)}` : null;
    const span = spanDays(steps);
    let day: number;
    if (needKey !== null) {
      day = random.int(0, Math.max(0, windowDays - 1 - span));
    } else if (nextFreeDay === 0) {
      day = random.int(0, Math.max(0, windowDays - sequentialDays));
    } else {
      day = nextFreeDay + random.int(0, 20);
    }
    for (const step of steps) {
      day += step.gapDays;
      contacts.push({
        organisationId: step.service.organisationId,
        serviceId: step.service.id,
        personRef: ref,
        needRef: needKey,
        occurredAtMs: window.startMs + day * DAY_MS + minuteOfDay(random, step.service) * MINUTE_MS,
        minutes: step.minutes,
        costGbp: costOf(step.service, step.minutes),
        channel: step.channel,
        outcome: step.outcome,
        sourceContactId: step.service.sourceIdPrefix ? `${step.service.sourceIdPrefix}-${random.hex(12)}` : null,
      });
    }
    if (needKey === null) nextFreeDay = day + episodeGapDays + 1;
    needs.push({ needRef: needKey, kind, pathway, contacts: steps.length });
  }

  // Time order, and no two contacts of one person at the same minute: the natural key
  // (service, person, time, source id) then never collides. The sort is stable and only
  // ties move, so each need keeps its own order.
  contacts.sort((a, b) => a.occurredAtMs - b.occurredAtMs);
  for (let i = 1; i < contacts.length; i++) {
    const previous = contacts[i - 1] as ContactDraft;
    const current = contacts[i] as ContactDraft;
    if (current.occurredAtMs <= previous.occurredAtMs) current.occurredAtMs = previous.occurredAtMs + MINUTE_MS;
  }
  return { index, personRef: ref, placeCode: place.code, needs, contacts };
}

/**
 * Every person of the world, one at a time. Lazy: nothing is made until it is pulled, and
 * each person comes from their own random stream, so memory stays flat for any number of
 * people and person 900,000 is the same whether or not the others were made.
 */
export function* generatePeople(plan: WorldPlan, options: PeopleOptions): Generator<PersonContacts, void, undefined> {
  const { people } = options;
  const firstIndex = options.firstIndex ?? 0;
  if (!Number.isSafeInteger(people) || people < 0) throw new RangeError(`people must be a whole number from 0, not ${people}`);
  if (!Number.isSafeInteger(firstIndex) || firstIndex < 0) throw new RangeError(`firstIndex must be a whole number from 0, not ${firstIndex}`);
  const context = peopleContext(plan);
  for (let index = firstIndex; index < people; index++) yield personAt(context, index);
}
