import { describe, expect, it } from 'vitest';
import { isValidNhsNumber, scanForPersonalData } from './personal-data.ts';

describe('personal data in story text', () => {
  it('checks the NHS number check digit by hand', () => {
    // 943 476 5919: 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 + 1×2 = 299;
    // 299 mod 11 = 2; 11 − 2 = 9, the last digit → valid.
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
  });

  it('finds each kind', () => {
    expect(scanForPersonalData('Write to sam.jones@example.org about it')).toEqual(['email']);
    expect(scanForPersonalData('call her on 07700 900123 after six')).toEqual(['phone']);
    expect(scanForPersonalData('ring +44 (0)20 7946 0018')).toEqual(['phone']);
    expect(scanForPersonalData('she lives near BS1 4DJ now')).toEqual(['postcode']);
    expect(scanForPersonalData('his number is 943 476 5919')).toEqual(['nhs_number']);
    expect(scanForPersonalData('sam@example.org, SW1A 1AA, 0161 496 0000')).toEqual(['email', 'phone', 'postcode']);
  });

  it('leaves ordinary story text alone', () => {
    const text =
      'After six conversations in four months, Mrs B met Ana, who listened for an hour. ' +
      'By March 2025 she was sleeping again; 3 of 12 people said the same. Room 101, 2024-05-01.';
    expect(scanForPersonalData(text)).toEqual([]);
  });
});
