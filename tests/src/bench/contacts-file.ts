import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { generatePeople, uuidFor, type ContactDraft, type PlannedService, type WorldPlan } from '@firstmile/etl';

/**
 * The generator's contacts as a file in the import format of `POST /v1/contacts:import`
 * and `firstmile import contacts`: one header line, then one contact a line. Written as it
 * is generated, in chunks, with the disk's back-pressure respected, so memory stays flat
 * for any number of rows.
 */

/** The columns, in order. The person is either a raw identifier or the caller's own pseudonym. */
export function contactCsvColumns(person: PersonColumn): string[] {
  return ['service_id', person, 'need_ref', 'occurred_at', 'minutes', 'cost_gbp', 'channel', 'outcome', 'source_contact_id'];
}

export type PersonColumn = 'person_id' | 'person_ref';

/**
 * One provider organisation receives every contact (an import acts for one organisation),
 * so each of the generator's services, whoever owns it in the demo world, gets a stand-in
 * service of that organisation. Ids are derived from the seed, so the same world always
 * maps the same way.
 */
export interface BenchService {
  /** The generator's service. */
  plannedId: string;
  /** The stand-in the import sends contacts to. */
  id: string;
  name: string;
  kind: PlannedService['kind'];
  placeCode: string;
  unitCostGbp: number | null;
  unitCostSource: string | null;
}

export function benchServices(plan: WorldPlan): BenchService[] {
  return plan.services.map((s) => ({
    plannedId: s.id,
    id: uuidFor(plan.seed, `bench-service:${s.id}`),
    name: s.name,
    kind: s.kind,
    placeCode: s.placeCode,
    unitCostGbp: s.costing.kind === 'per_contact' ? s.costing.gbp : null,
    unitCostSource: s.costing.kind === 'per_contact' ? s.costing.source : null,
  }));
}

export interface ContactsFileOptions {
  /** Exactly this many contacts are written (the last person may be cut short). */
  contacts: number;
  /**
   * `person_id` (default): a raw case number per person, which the import pseudonymises
   * with its HMAC; `person_ref`: the generator's own pseudonym, stored as given.
   */
  person?: PersonColumn;
  /** Lines per write. */
  chunkLines?: number;
  onProgress?: (written: number) => void;
}

export interface ContactsFileSummary {
  contacts: number;
  people: number;
  bytes: number;
  columns: string[];
}

const needsQuoting = /[",\r\n]/;

/** RFC 4180: quoted only when it must be, with inner quotes doubled; empty for null. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return needsQuoting.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A raw identifier as a case-management system would export it: never stored by Firstmile. */
export function rawPersonId(seed: number, index: number): string {
  return `CASE-${seed}-${String(index).padStart(9, '0')}`;
}

function contactLine(c: ContactDraft, serviceId: string, person: string): string {
  // minutes is a whole number and channel and outcome are closed sets of plain words.
  return `${serviceId},${csvField(person)},${csvField(c.needRef)},${new Date(c.occurredAtMs).toISOString()},${c.minutes},${c.costGbp === null ? '' : c.costGbp},${c.channel},${c.outcome},${csvField(c.sourceContactId)}\n`;
}

export async function writeContactsCsv(plan: WorldPlan, services: readonly BenchService[], file: string, options: ContactsFileOptions): Promise<ContactsFileSummary> {
  const { contacts } = options;
  if (!Number.isSafeInteger(contacts) || contacts < 0) throw new RangeError(`contacts must be a whole number from 0, not ${contacts}`);
  const person = options.person ?? 'person_id';
  const chunkLines = options.chunkLines ?? 10_000;
  const standIn = new Map(services.map((s) => [s.plannedId, s.id]));
  const columns = contactCsvColumns(person);

  const out = createWriteStream(file, { mode: 0o644 });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => {});
  const write = async (text: string) => {
    if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
  };

  let written = 0;
  let people = 0;
  let lines: string[] = [];
  await write(columns.join(',') + '\n');
  // People are made one at a time and only as fast as the disk takes them.
  for (const one of generatePeople(plan, { people: Number.MAX_SAFE_INTEGER })) {
    if (written === contacts) break;
    people++;
    const who = person === 'person_id' ? rawPersonId(plan.seed, one.index) : one.personRef;
    for (const c of one.contacts) {
      const serviceId = standIn.get(c.serviceId);
      if (serviceId === undefined) throw new Error(`no stand-in for the generator's service ${c.serviceId}`);
      lines.push(contactLine(c, serviceId, who));
      if (++written === contacts) break;
    }
    if (lines.length >= chunkLines) {
      await write(lines.join(''));
      lines = [];
      options.onProgress?.(written);
    }
  }
  if (lines.length > 0) await write(lines.join(''));
  options.onProgress?.(written);
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return { contacts: written, people, bytes: out.bytesWritten, columns };
}
