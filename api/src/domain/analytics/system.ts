import type { Kysely } from 'kysely';
import { perUnit, protectCount, repeatShare } from '@firstmile/etl';
import {
  nhsSuppressionRule, type AnalyticsPlacePeriodRow, type AnalyticsServicePeriodRow, type Database, type SuppressionRule,
  type SystemQuery, type SystemRow, type SystemSuppressibleField,
} from '@firstmile/schema';
import type { Actor } from '../../http/env.ts';
import { NotFoundError } from '../errors.ts';
import { visibleService } from '../services/visible.ts';
import { visiblePlacePeriod, visibleServicePeriod } from './visible.ts';

/**
 * `GET /v1/system`: part-system efficiency per service and whole-system effectiveness per
 * place, at one grain (month by default). Which levels: the one asked for; without `level`,
 * place rows when only `place` is given, otherwise both. With `service`, place rows are
 * those of the service's place.
 */
export async function listSystem({ db, actor, query }: { db: Kysely<Database>; actor: Actor; query: SystemQuery }): Promise<SystemRow[]> {
  const grain = query.grain ?? 'month';
  const level = query.level ?? (query.place !== undefined && query.service === undefined ? 'place' : 'both');
  const servicePlace = query.service === undefined ? undefined : await requireSystemService(db, actor, query.service);
  const rows: SystemRow[] = [];

  if (level !== 'place') {
    let select = db.selectFrom('analytics_service_periods').selectAll().where(visibleServicePeriod(actor)).where('grain', '=', grain);
    if (query.service !== undefined) select = select.where('service_id', '=', query.service);
    if (query.place !== undefined) select = select.where('place_code', '=', query.place);
    if (query.from !== undefined) select = select.where('period_end', '>=', query.from);
    if (query.to !== undefined) select = select.where('period_start', '<=', query.to);
    const found = await select.orderBy('period_start').orderBy('place_code').orderBy('service_id').execute();
    // The service's own organisation sees its figures exactly; everyone else under protection.
    rows.push(...found.map((r) => serviceRow(r, actor.role === 'admin' || r.organisation_id === actor.organisationId)));
  }
  if (level !== 'service') {
    let select = db.selectFrom('analytics_place_periods').selectAll().where(visiblePlacePeriod(actor)).where('grain', '=', grain);
    if (query.place !== undefined) select = select.where('place_code', '=', query.place);
    if (servicePlace !== undefined) select = select.where('place_code', '=', servicePlace);
    if (query.from !== undefined) select = select.where('period_end', '>=', query.from);
    if (query.to !== undefined) select = select.where('period_start', '<=', query.to);
    const found = await select.orderBy('period_start').orderBy('place_code').execute();
    // A place mixes every organisation's contacts: exact for admins alone.
    rows.push(...found.map((r) => placeRow(r, actor.role === 'admin')));
  }
  return rows;
}

/**
 * A service the actor may ask about, and its place: one it may read (its own, a commissioner's
 * in its places, any for an admin) or one whose figures it may see (a funder's, of a project it
 * funds). Anything else answers 404.
 */
async function requireSystemService(db: Kysely<Database>, actor: Actor, serviceId: string): Promise<string> {
  const readable = await db.selectFrom('services').select('place_code').where('id', '=', serviceId).where(visibleService(actor)).executeTakeFirst();
  if (readable) return readable.place_code;
  const seen = await db
    .selectFrom('analytics_service_periods')
    .select('place_code')
    .where('service_id', '=', serviceId)
    .where(visibleServicePeriod(actor))
    .orderBy('period_start', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!seen) throw new NotFoundError('service', serviceId);
  return seen.place_code;
}

/** Counts as the viewer may see them, and the ratios recomputed from what is shown. */
class Protector {
  readonly suppressed = new Set<SystemSuppressibleField>();
  constructor(private readonly exact: boolean, private readonly rule: SuppressionRule = nhsSuppressionRule) {}

  count(field: SystemSuppressibleField | null, n: number): number | null {
    const shown = this.exact ? n : protectCount(n, this.rule);
    if (shown === null && field !== null) this.suppressed.add(field);
    return shown;
  }

  /** total ÷ count; withheld (and listed) when a count it uses is withheld. */
  ratio(field: SystemSuppressibleField, total: number | null, count: number | null, totalWithheld = false): number | null {
    if (count === null || totalWithheld) {
      this.suppressed.add(field);
      return null;
    }
    return perUnit(total, count);
  }
}

const fieldOrder: readonly SystemSuppressibleField[] = [
  'contacts', 'people', 'costed_contacts', 'repeat_contacts', 'needs', 'needs_resolved',
  'cost_per_contact', 'minutes_per_contact', 'repeat_share', 'contacts_per_resolved_need',
  'minutes_per_resolved_need', 'cost_per_resolved_need', 'services_per_need',
];

function common(r: AnalyticsServicePeriodRow | AnalyticsPlacePeriodRow, p: Protector) {
  const contacts = p.count('contacts', r.contacts);
  const costed = p.count('costed_contacts', r.costed_contacts);
  const repeats = p.count('repeat_contacts', r.repeat_contacts);
  const flags: string[] = [];
  if (r.costed_contacts < r.contacts) flags.push('cost_incomplete');
  return {
    grain: r.grain,
    period_start: r.period_start,
    period_end: r.period_end,
    contacts,
    people: p.count('people', r.people),
    // Minutes and money are sums, not counts of people: shown as they are.
    minutes: r.minutes,
    cost_gbp: r.cost_gbp,
    costed_contacts: costed,
    cost_per_contact: p.ratio('cost_per_contact', r.cost_gbp, costed),
    minutes_per_contact: p.ratio('minutes_per_contact', r.minutes, contacts),
    repeat_contacts: repeats,
    repeat_share: repeats === null || contacts === null
      ? p.ratio('repeat_share', null, null)
      : repeatShare(repeats, contacts),
    flags,
  };
}

export function serviceRow(r: AnalyticsServicePeriodRow, exact: boolean): SystemRow {
  const p = new Protector(exact);
  const shared = common(r, p);
  return {
    level: 'service',
    service_id: r.service_id,
    place_code: r.place_code,
    ...shared,
    needs: null,
    needs_resolved: null,
    contacts_per_resolved_need: null,
    minutes_per_resolved_need: null,
    cost_per_resolved_need: null,
    services_per_need: null,
    flags: shared.flags,
    suppressed_fields: fieldOrder.filter((f) => p.suppressed.has(f)),
  };
}

export function placeRow(r: AnalyticsPlacePeriodRow, exact: boolean): SystemRow {
  const p = new Protector(exact);
  const shared = common(r, p);
  const resolved = p.count('needs_resolved', r.needs_resolved);
  // Contacts of the resolved needs and the service–need pairs they make are counts too.
  const resolvedContacts = p.count(null, r.resolved_contacts);
  const resolvedServices = p.count(null, r.resolved_services);
  const flags = [...shared.flags];
  const costComplete = r.resolved_costed_contacts === r.resolved_contacts;
  // A cost per need from partly costed needs would understate it: withheld as unknown instead.
  if (!costComplete) flags.push('resolved_cost_incomplete');
  return {
    level: 'place',
    service_id: null,
    place_code: r.place_code,
    ...shared,
    needs: p.count('needs', r.needs),
    needs_resolved: resolved,
    contacts_per_resolved_need: p.ratio('contacts_per_resolved_need', resolvedContacts, resolved, resolvedContacts === null),
    minutes_per_resolved_need: p.ratio('minutes_per_resolved_need', r.resolved_minutes, resolved),
    cost_per_resolved_need: costComplete ? p.ratio('cost_per_resolved_need', r.resolved_cost_gbp, resolved) : null,
    services_per_need: p.ratio('services_per_need', resolvedServices, resolved, resolvedServices === null),
    flags,
    suppressed_fields: fieldOrder.filter((f) => p.suppressed.has(f)),
  };
}
