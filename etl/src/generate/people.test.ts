import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from './calendar.ts';
import { contactCopyLine } from './copy-text.ts';
import { generatePeople, type ContactDraft, type PersonContacts } from './people.ts';
import { pathways } from './pathways.ts';
import { planWorld, projectBySlug, teamOf } from './world-plan.ts';

function streamHash(seed: number, people: number): string {
  const hash = createHash('sha256');
  for (const person of generatePeople(planWorld(seed), { people })) {
    for (const contact of person.contacts) hash.update(contactCopyLine(contact));
  }
  return hash.digest('hex');
}

function take<T>(iterable: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  for (const item of iterable) {
    if (out.length === n) break;
    out.push(item);
  }
  return out;
}

describe('generatePeople', () => {
  const plan = planWorld(42);
  const world: PersonContacts[] = [...generatePeople(plan, { people: 3000 })];
  const contacts: ContactDraft[] = world.flatMap((p) => p.contacts);

  it('makes the same contacts for the same seed, and different ones for another', () => {
    const first = streamHash(42, 2000);
    expect(streamHash(42, 2000)).toBe(first);
    expect(streamHash(43, 2000)).not.toBe(first);
  });

  it('is lazy: ten people of a million-person world come at once', () => {
    const started = performance.now();
    const ten = take(generatePeople(plan, { people: 1_000_000 }), 10);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(ten.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(ten).toEqual(world.slice(0, 10));
  });

  it('makes each person from their own stream, whatever the size of the world', () => {
    const [late] = take(generatePeople(plan, { people: 1_000_000, firstIndex: 999_998 }), 1);
    const [same] = take(generatePeople(plan, { people: 999_999, firstIndex: 999_998 }), 1);
    expect(late?.index).toBe(999_998);
    expect(late).toEqual(same);
    expect(world[5]).toEqual(take(generatePeople(plan, { people: 3000, firstIndex: 5 }), 1)[0]);
  });

  it('averages about six contacts a person, most with a need_ref', () => {
    const perPerson = contacts.length / world.length;
    expect(perPerson).toBeGreaterThan(5.5);
    expect(perPerson).toBeLessThan(6.5);
    const withNeed = contacts.filter((c) => c.needRef !== null).length / contacts.length;
    expect(withNeed).toBeGreaterThan(0.8);
    expect(withNeed).toBeLessThan(0.95);
  });

  it('respects the contacts table constraints', () => {
    const services = new Map(plan.services.map((s) => [s.id, s]));
    for (const c of contacts) {
      expect(Number.isInteger(c.minutes) && c.minutes >= 0 && c.minutes <= 1440).toBe(true);
      expect(services.get(c.serviceId)?.organisationId).toBe(c.organisationId);
      expect(c.personRef).toMatch(/^[0-9a-f]{64}$/);
      if (c.needRef !== null) expect(c.needRef.length).toBeLessThanOrEqual(128);
      if (c.sourceContactId !== null) expect(c.sourceContactId).toMatch(/^(gp|hopt|prob)-[0-9a-f]{12}$/);
      expect(c.occurredAtMs % 60_000).toBe(0);
      expect(c.occurredAtMs).toBeGreaterThanOrEqual(plan.window.startMs);
    }
    expect(contacts.some((c) => c.sourceContactId !== null)).toBe(true);
    expect(contacts.some((c) => c.sourceContactId === null)).toBe(true);
  });

  it('never gives one person two contacts at the same minute, so the natural key cannot collide', () => {
    for (const person of world) {
      for (let i = 1; i < person.contacts.length; i++) {
        expect(person.contacts[i]!.occurredAtMs).toBeGreaterThan(person.contacts[i - 1]!.occurredAtMs);
      }
    }
    expect(new Set(world.map((p) => p.personRef)).size).toBe(world.length);
  });

  it('costs social work by the minute from the hourly rate, and leaves other costs to the service', () => {
    const socialWork = new Set(plan.services.filter((s) => s.kind === 'social_work').map((s) => s.id));
    for (const c of contacts) {
      if (socialWork.has(c.serviceId)) expect(c.costGbp).toBeCloseTo((40 * c.minutes) / 60, 2);
      else expect(c.costGbp).toBeNull();
    }
  });

  it('follows every pathway, and ends each as its pathway says', () => {
    const needs = world.flatMap((p) => p.needs.map((n) => ({ ...n, steps: p.contacts.filter((c) => n.needRef !== null && c.needRef === n.needRef) })));
    const seen = new Set(needs.map((n) => n.pathway));
    for (const p of pathways) expect(seen.has(p), p).toBe(true);
    const teams = new Set(plan.services.filter((s) => s.projectId !== null).map((s) => s.id));
    for (const need of needs.filter((n) => n.needRef !== null)) {
      const last = need.steps[need.steps.length - 1]!;
      expect(need.steps).toHaveLength(need.contacts);
      switch (need.pathway) {
        case 'relational_first':
          expect(need.steps.length).toBeLessThanOrEqual(2);
          expect(need.steps.every((c) => teams.has(c.serviceId))).toBe(true);
          expect(last.outcome).toBe('resolved');
          break;
        case 'repeat_then_relational':
          expect(need.steps.length).toBeGreaterThanOrEqual(3);
          expect(need.steps.slice(0, -1).every((c) => c.outcome === 'referred_on' || c.outcome === 'no_action')).toBe(true);
          expect(teams.has(last.serviceId) && last.outcome === 'resolved').toBe(true);
          break;
        case 'service_resolves':
          expect(teams.has(last.serviceId)).toBe(false);
          expect(last.outcome).toBe('resolved');
          break;
        case 'unresolved':
          expect(need.steps.some((c) => c.outcome === 'resolved')).toBe(false);
          expect(last.outcome).toBe('ongoing');
          break;
        default:
          expect(need.kind).toBe('end_of_life');
      }
    }
  });

  it('keeps needs without a need_ref apart by more than 30 days, so the gap rule finds the same episodes', () => {
    let checked = 0;
    for (const person of world) {
      const unlabelled = person.contacts.filter((c) => c.needRef === null);
      const needs = person.needs.filter((n) => n.needRef === null);
      if (needs.length === 0) continue;
      // The ETL's rule: an episode ends with a resolved contact or after 30 days without contact.
      let episodes = 0;
      unlabelled.forEach((c, i) => {
        const previous = unlabelled[i - 1];
        if (!previous || previous.outcome === 'resolved' || c.occurredAtMs - previous.occurredAtMs > 30 * DAY_MS) episodes++;
      });
      expect(episodes).toBe(needs.length);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('gives the palliative team\'s people six 10-minute conversations before its 30-minute one, or the 30-minute one first', () => {
    const team = teamOf(plan, projectBySlug(plan, 'palliative-at-home').id);
    const byNeed = new Map<string, ContactDraft[]>();
    for (const c of contacts) if (c.needRef) byNeed.set(c.needRef, [...(byNeed.get(c.needRef) ?? []), c]);
    const shapes = new Map<string, number>();
    for (const need of world.flatMap((p) => p.needs).filter((n) => n.kind === 'end_of_life')) {
      const steps = byNeed.get(need.needRef as string) ?? [];
      const last = steps[steps.length - 1]!;
      expect(last.serviceId).toBe(team.id);
      expect(last.outcome).toBe('resolved');
      expect(last.minutes).toBe(30);
      const minutes = steps.reduce((m, c) => m + c.minutes, 0);
      const shape = `${steps.length} contacts, ${minutes} minutes`;
      shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
      if (steps.length === 7) expect(new Set(steps.slice(0, 6).map((c) => c.serviceId)).size).toBeGreaterThanOrEqual(4);
    }
    expect([...shapes.keys()].sort()).toEqual(['1 contacts, 30 minutes', '7 contacts, 90 minutes']);
    expect((90 / 7).toFixed(1)).toBe('12.9');
  });

  it('refuses a number of people that is not a whole number', () => {
    expect(() => take(generatePeople(plan, { people: -1 }), 1)).toThrow(RangeError);
    expect(() => take(generatePeople(plan, { people: 2.5 }), 1)).toThrow(RangeError);
  });
});
