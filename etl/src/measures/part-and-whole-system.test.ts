import { describe, expect, it } from 'vitest';
import { perUnit } from './part-and-whole-system.ts';

describe('per-unit ratios', () => {
  it('six 10-minute conversations and a 30-minute one that resolves the need', () => {
    // minutes = 6 × 10 + 30 = 90; contacts = 7; resolved needs = 1
    // minutes per contact      = 90 ÷ 7 = 12.857143 (looks efficient)
    // contacts per resolved need = 7 ÷ 1 = 7
    // minutes per resolved need  = 90 ÷ 1 = 90
    // identity: 12.857143 × 7 = 90
    const perContact = perUnit(90, 7);
    const contactsPerNeed = perUnit(7, 1);
    const perNeed = perUnit(90, 1);
    expect(perContact).toBeCloseTo(12.857143, 6);
    expect(contactsPerNeed).toBe(7);
    expect(perNeed).toBe(90);
    expect((perContact ?? NaN) * (contactsPerNeed ?? NaN)).toBeCloseTo(perNeed ?? NaN, 10);
  });

  it('one 30-minute conversation first: 30 per contact and 30 per need', () => {
    expect(perUnit(30, 1)).toBe(30);
  });

  it('the identity holds for cost across services', () => {
    // 3 needs resolved with 12 contacts costing £1,260 in all
    // cost per contact £1,260 ÷ 12 = £105; contacts per need 12 ÷ 3 = 4; £105 × 4 = £420 = £1,260 ÷ 3
    expect((perUnit(1260, 12) ?? NaN) * (perUnit(12, 3) ?? NaN)).toBeCloseTo(perUnit(1260, 3) ?? NaN, 10);
    expect(perUnit(1260, 3)).toBe(420);
  });

  it('services per need: distinct services ÷ episodes', () => {
    // one need met 3 services, another 2: (3 + 2) ÷ 2 episodes = 2.5
    expect(perUnit(5, 2)).toBe(2.5);
  });

  it('nothing to divide among, or a missing total: null', () => {
    expect(perUnit(90, 0)).toBeNull();
    expect(perUnit(0, 0)).toBeNull();
    expect(perUnit(90, null)).toBeNull();
    expect(perUnit(null, 7)).toBeNull();
  });

  it('0 over some: 0', () => {
    expect(perUnit(0, 7)).toBe(0);
  });
});
