/**
 * Finds what looks like personal data in free text before a story is shared beyond its own
 * organisation. It flags for a person to check; it does not redact or decide.
 */
export const personalDataKinds = ['email', 'phone', 'postcode', 'nhs_number'] as const;
export type PersonalDataKind = (typeof personalDataKinds)[number];

const email = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
// UK numbers: +44 or 0, then 9–10 more digits, allowing spaces, dots, dashes and brackets.
const phone = /(?<![\d])(?:\+44\s?\(?0?\)?|\(?0)(?:[\s.-]?\(?\d\)?){9,10}(?![\d])/;
// The Royal Mail postcode shape (outward code, space optional, inward code).
const postcode = /\b(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?) ?\d[ABD-HJLNP-UW-Z]{2})\b/i;
const tenDigits = /(?<![\d])\d{3}[\s-]?\d{3}[\s-]?\d{4}(?![\d])/g;

/** NHS numbers carry a modulus 11 check digit: weights 10 down to 2 over the first nine. */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === Number(digits[9]);
}

export function scanForPersonalData(text: string): PersonalDataKind[] {
  const found = new Set<PersonalDataKind>();
  if (email.test(text)) found.add('email');
  if (postcode.test(text)) found.add('postcode');
  for (const match of text.matchAll(tenDigits)) {
    if (isValidNhsNumber(match[0].replace(/[\s-]/g, ''))) found.add('nhs_number');
  }
  // A valid NHS number is also ten digits; do not call it a phone number too.
  const withoutNhs = found.has('nhs_number')
    ? text.replace(tenDigits, (m) => (isValidNhsNumber(m.replace(/[\s-]/g, '')) ? ' ' : m))
    : text;
  if (phone.test(withoutNhs)) found.add('phone');
  return personalDataKinds.filter((kind) => found.has(kind));
}
