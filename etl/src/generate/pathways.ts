import type { Channel, ContactOutcome, ServiceKind } from '@firstmile/schema';
import type { NeedKind } from './fictional-world.ts';
import type { Random } from './random.ts';
import type { PlannedService } from './world-plan.ts';

/**
 * How one need unfolds, as the whole-system measures see it:
 * - `relational_first`: one or two conversations with a project's team resolve it;
 * - `repeat_then_relational`: the same conversation again and again with different services,
 *   each passing the person on, until one relational conversation resolves it;
 * - `service_resolves`: a statutory service sorts it out by itself;
 * - `unresolved`: nobody resolves it within the window;
 * - `palliative_repeat_then_relational` / `palliative_relational_first`: the palliative
 *   scenario, with exact minutes (six 10-minute conversations, then the 30-minute one).
 */
export const pathways = [
  'relational_first', 'repeat_then_relational', 'service_resolves', 'unresolved',
  'palliative_repeat_then_relational', 'palliative_relational_first',
] as const;
export type Pathway = (typeof pathways)[number];

/** One contact of a need, before it has a time. */
export interface NeedStep {
  service: PlannedService;
  minutes: number;
  outcome: ContactOutcome;
  channel: Channel;
  /** Days after the previous step (0 for the first). */
  gapDays: number;
}

/** The services a person with this need may meet in their place. */
export interface NeedServices {
  statutory: readonly PlannedService[];
  teams: readonly PlannedService[];
}

/** Minutes of a first, unhurried conversation and of a short repeat one, by kind of service. */
const minutesByKind: Record<ServiceKind, { full: [number, number]; short: [number, number] }> = {
  gp_practice: { full: [10, 15], short: [8, 12] },
  emergency_department: { full: [40, 150], short: [30, 90] },
  hospital: { full: [30, 90], short: [20, 40] },
  housing_options: { full: [20, 45], short: [10, 20] },
  probation: { full: [30, 60], short: [15, 30] },
  social_work: { full: [40, 90], short: [15, 30] },
  mental_health: { full: [30, 60], short: [15, 30] },
  police: { full: [20, 60], short: [10, 20] },
  community_project: { full: [30, 75], short: [20, 45] },
  other: { full: [15, 45], short: [10, 20] },
};

const channelsByKind: Record<ServiceKind, readonly (readonly [Channel, number])[]> = {
  gp_practice: [['face_to_face', 0.65], ['phone', 0.3], ['online', 0.05]],
  emergency_department: [['face_to_face', 1]],
  hospital: [['face_to_face', 1]],
  housing_options: [['phone', 0.45], ['face_to_face', 0.35], ['online', 0.2]],
  probation: [['face_to_face', 0.85], ['phone', 0.15]],
  social_work: [['home_visit', 0.5], ['face_to_face', 0.2], ['phone', 0.3]],
  mental_health: [['face_to_face', 0.55], ['phone', 0.35], ['online', 0.1]],
  police: [['face_to_face', 0.7], ['phone', 0.3]],
  community_project: [['face_to_face', 0.55], ['home_visit', 0.3], ['phone', 0.15]],
  other: [['face_to_face', 0.5], ['phone', 0.3], ['other', 0.2]],
};

function minutes(random: Random, service: PlannedService, length: 'full' | 'short'): number {
  const [min, max] = minutesByKind[service.kind][length];
  return random.int(min, max);
}

function channel(random: Random, service: PlannedService): Channel {
  return random.weighted(channelsByKind[service.kind]);
}

/** Passed on, or nothing done: what a conversation that does not resolve the need ends in. */
function notResolved(random: Random): ContactOutcome {
  return random.chance(0.6) ? 'referred_on' : 'no_action';
}

/** Prefers a service other than the last one, so repeats travel round the system. */
function nextService(random: Random, services: readonly PlannedService[], previous: PlannedService | null): PlannedService {
  const others = previous ? services.filter((s) => s.id !== previous.id) : services;
  return random.pick(others.length > 0 ? others : services);
}

export function choosePathway(random: Random, kind: NeedKind, services: NeedServices): Pathway {
  if (kind === 'end_of_life' && services.teams.length > 0) {
    return random.chance(0.55) ? 'palliative_repeat_then_relational' : 'palliative_relational_first';
  }
  if (services.teams.length === 0) return random.chance(0.6) ? 'service_resolves' : 'unresolved';
  return random.weighted<Pathway>([
    ['relational_first', 0.42],
    ['repeat_then_relational', 0.33],
    ['service_resolves', 0.1],
    ['unresolved', 0.15],
  ]);
}

/** The palliative scenario's six short conversations go to these kinds of service. */
const palliativeRoundKinds: readonly ServiceKind[] = ['gp_practice', 'emergency_department', 'social_work', 'mental_health'];

/**
 * Collects one need's steps. A class rather than closures inside `needSteps`: this runs
 * for every need of millions of people, and methods are not re-created on each call.
 */
class StepList {
  readonly steps: NeedStep[] = [];
  readonly #random: Random;
  readonly #services: NeedServices;
  #previous: PlannedService | null = null;

  constructor(random: Random, services: NeedServices) {
    this.#random = random;
    this.#services = services;
  }

  #gap(maxDays = 14): number {
    return this.steps.length === 0 ? 0 : this.#random.int(1, maxDays);
  }

  /** `count` conversations with statutory services, moving round them; the last ends in `last` if given. */
  statutory(count: number, last: ContactOutcome | null): void {
    const random = this.#random;
    for (let i = 0; i < count; i++) {
      const service = nextService(random, this.#services.statutory, this.#previous);
      const isLast = i === count - 1;
      this.steps.push({
        service,
        minutes: minutes(random, service, this.steps.length === 0 ? 'full' : 'short'),
        outcome: isLast && last ? last : notResolved(random),
        channel: channel(random, service),
        gapDays: this.#gap(),
      });
      this.#previous = service;
    }
  }

  team(outcome: ContactOutcome, length: 'full' | 'short', service: PlannedService = this.#random.pick(this.#services.teams)): void {
    const random = this.#random;
    this.steps.push({ service, minutes: minutes(random, service, length), outcome, channel: channel(random, service), gapDays: this.#gap() });
  }

  exact(service: PlannedService, minutesTaken: number, outcome: ContactOutcome, via: Channel, maxGapDays: number): void {
    this.steps.push({ service, minutes: minutesTaken, outcome, channel: via, gapDays: this.#gap(maxGapDays) });
  }
}

export function needSteps(random: Random, pathway: Pathway, services: NeedServices): NeedStep[] {
  const list = new StepList(random, services);
  const { steps } = list;
  switch (pathway) {
    case 'relational_first': {
      const service = random.pick(services.teams);
      if (random.chance(0.45)) {
        list.team('ongoing', 'full', service);
        list.team('resolved', 'short', service);
      } else {
        list.team('resolved', 'full', service);
      }
      return steps;
    }
    case 'repeat_then_relational':
      list.statutory(random.int(2, 6), null);
      list.team('resolved', 'full');
      return steps;
    case 'service_resolves':
      list.statutory(random.int(1, 3), 'resolved');
      return steps;
    case 'unresolved': {
      // Sometimes a project's team is among those met, and it too has not resolved it yet.
      list.statutory(random.int(1, 4), 'ongoing');
      if (services.teams.length > 0 && random.chance(0.3)) list.team('ongoing', 'full');
      return steps;
    }
    case 'palliative_repeat_then_relational': {
      const round = palliativeRoundKinds.map((kind) => {
        const found = services.statutory.find((s) => s.kind === kind);
        if (!found) throw new Error(`the palliative scenario needs a ${kind} service in the place`);
        return found;
      });
      // Every kind once, two more at random, in a random order: six conversations with various services.
      const visits = [...round, random.pick(round), random.pick(round)];
      for (let i = visits.length - 1; i > 0; i--) {
        const j = random.int(0, i);
        [visits[i], visits[j]] = [visits[j] as PlannedService, visits[i] as PlannedService];
      }
      for (const service of visits) list.exact(service, 10, notResolved(random), channel(random, service), 5);
      list.exact(random.pick(services.teams), 30, 'resolved', 'home_visit', 5);
      return steps;
    }
    case 'palliative_relational_first': {
      list.exact(random.pick(services.teams), 30, 'resolved', 'home_visit', 5);
      return steps;
    }
    default: {
      const unknown: never = pathway;
      throw new Error(`no steps for pathway ${String(unknown)}`);
    }
  }
}
