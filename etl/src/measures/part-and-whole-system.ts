/**
 * Derived ratios for part-system efficiency (per service) and whole-system effectiveness (per place).
 * Cost per contact alone rewards short conversations that leave needs unresolved; per resolved need
 * it counts every contact the need took, in every service. The two are linked:
 * cost per resolved need = cost per contact × contacts per resolved need.
 */

/**
 * total ÷ count: cost or minutes per contact, contacts or minutes per resolved need, services per
 * need. Null when the count is 0 or missing (nothing to divide among), or the total is missing.
 */
export function perUnit(total: number | null, count: number | null): number | null {
  if (total === null || count === null || count === 0) return null;
  return total / count;
}
