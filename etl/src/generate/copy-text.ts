import type { ContactDraft } from './people.ts';

/**
 * PostgreSQL's COPY text format: tab-separated fields, one row a line, `\N` for null, and
 * a backslash escape for the characters that would otherwise end a field or a row.
 */
const needsEscape = /[\\\t\n\r\b\f\v]/;
const escapes: Record<string, string> = {
  '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v',
};

export function copyTextField(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`cannot COPY the number ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return needsEscape.test(value) ? value.replace(/[\\\t\n\r\b\f\v]/g, (c) => escapes[c] ?? c) : value;
}

/** The contact columns, in the order `contactCopyLine` writes them. */
export const contactCopyColumns = [
  'organisation_id', 'service_id', 'person_ref', 'need_ref', 'occurred_at', 'minutes', 'cost_gbp',
  'channel', 'outcome', 'source_contact_id',
] as const;

/** Text that may hold anything; `\N` for null. */
function text(value: string | null): string {
  if (value === null) return '\\N';
  return needsEscape.test(value) ? copyTextField(value) : value;
}

/**
 * One contact as a COPY text line. Written out field by field rather than through a
 * generic row encoder: this runs for every one of millions of contacts. Channel and outcome
 * are closed sets of plain words and the numbers are checked, so only text is escaped.
 */
export function contactCopyLine(c: ContactDraft): string {
  if (!Number.isInteger(c.minutes)) throw new RangeError(`minutes must be whole, not ${c.minutes}`);
  const cost = c.costGbp === null ? '\\N' : copyTextField(c.costGbp);
  return `${text(c.organisationId)}\t${text(c.serviceId)}\t${text(c.personRef)}\t${text(c.needRef)}\t${new Date(c.occurredAtMs).toISOString()}\t${c.minutes}\t${cost}\t${c.channel}\t${c.outcome}\t${text(c.sourceContactId)}\n`;
}
