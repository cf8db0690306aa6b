import { describe, expect, it } from 'vitest';
import { DidQuery, OutcomesQuery, StoriesQuery, SystemQuery } from './query.ts';
import { accepted, problems } from './test-helpers.ts';

/** What a router hands over: every value a string, a repeated name an array. */
const query = (search: string): Record<string, string | string[]> => {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  return out;
};

const PROJECT = '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d';

describe('OutcomesQuery', () => {
  it('accepts every filter as a string', () => {
    expect(accepted(OutcomesQuery, query(`project=${PROJECT}&place=E08000003&metric=reoffending_12m&from=2025-01-01&to=2025-12-31&grain=quarter`))).toEqual({
      project: PROJECT, place: 'E08000003', metric: 'reoffending_12m', from: '2025-01-01', to: '2025-12-31', grain: 'quarter',
    });
    expect(accepted(OutcomesQuery, query(''))).toEqual({});
  });

  it('refuses bad values, reversed dates, repeats and unknown parameters by name', () => {
    expect(problems(OutcomesQuery, query('grain=week&funder=acme&from=2025-13-01'))).toEqual([
      { path: 'funder', message: 'must be a UUID' },
      { path: 'from', message: 'must be a real calendar date written YYYY-MM-DD' },
      { path: 'grain', message: 'Invalid option: expected one of "month"|"quarter"|"year"' },
    ]);
    expect(problems(OutcomesQuery, query('from=2025-06-01&to=2025-05-31'))).toEqual([{ path: 'to', message: 'must not be before from' }]);
    expect(problems(OutcomesQuery, query('metric=loneliness&metric=staff_retention&projct=x'))).toEqual([
      { path: 'metric', message: 'Invalid input: expected string, received array' },
      { path: 'projct', message: 'unknown field' },
    ]);
  });
});

describe('OutcomesQuery grouping and benefit parameters', () => {
  it('reads plain decimals and whole years as numbers', () => {
    expect(accepted(OutcomesQuery, query('group_by=portfolio&deadweight=0.25&displacement=0&attribution=1&drop_off=0.5&years=5&discount_rate=0.035&discounting=sroi'))).toEqual({
      group_by: 'portfolio', deadweight: 0.25, displacement: 0, attribution: 1, drop_off: 0.5, years: 5, discount_rate: 0.035, discounting: 'sroi',
    });
    expect(accepted(OutcomesQuery, query('years=50&deadweight=1.0'))).toEqual({ years: 50, deadweight: 1 });
  });

  it('refuses what a coercion would have let through, naming every field', () => {
    // Number('') is 0, Number(' 1') is 1, Number('1e-1') is 0.1, Number('0x1') is 1: all refused as text.
    expect(problems(OutcomesQuery, query('deadweight=&displacement=%201&attribution=1e-1&drop_off=0x1&years=0&discount_rate=-0.1&discounting=treasury&group_by=funder'))).toEqual([
      { path: 'group_by', message: 'Invalid option: expected one of "project"|"portfolio"|"place"' },
      { path: 'deadweight', message: 'must be a number from 0 to 1 written as a plain decimal, e.g. 0.25' },
      { path: 'displacement', message: 'must be a number from 0 to 1 written as a plain decimal, e.g. 0.25' },
      { path: 'attribution', message: 'must be a number from 0 to 1 written as a plain decimal, e.g. 0.25' },
      { path: 'drop_off', message: 'must be a number from 0 to 1 written as a plain decimal, e.g. 0.25' },
      { path: 'years', message: 'must be a whole number from 1 to 50' },
      { path: 'discount_rate', message: 'must be a number from 0 to 1 written as a plain decimal, e.g. 0.25' },
      { path: 'discounting', message: 'Invalid option: expected one of "green_book"|"sroi"' },
    ]);
    expect(problems(OutcomesQuery, query('deadweight=1.5&years=51&discount_rate=2&years2=1'))).toEqual([
      { path: 'deadweight', message: 'must be at most 1' },
      { path: 'years', message: 'must be a whole number from 1 to 50' },
      { path: 'discount_rate', message: 'must be at most 1' },
      { path: 'years2', message: 'unknown field' },
    ]);
    expect(problems(OutcomesQuery, query('years=2.5&deadweight=0.1&deadweight=0.2'))).toEqual([
      { path: 'deadweight', message: 'Invalid input: expected string, received array' },
      { path: 'years', message: 'must be a whole number from 1 to 50' },
    ]);
  });
});

describe('DidQuery', () => {
  it('needs a project, a metric and two period starts, the second later', () => {
    expect(accepted(DidQuery, query(`project=${PROJECT}&metric=non_elective_admissions&a=2024-01-01&b=2025-01-01`))).toEqual({
      project: PROJECT, metric: 'non_elective_admissions', a: '2024-01-01', b: '2025-01-01',
    });
    expect(problems(DidQuery, query('a=2024-02-30&grain=year'))).toEqual([
      { path: 'project', message: 'is required' },
      { path: 'metric', message: 'is required' },
      { path: 'a', message: 'must be a real calendar date written YYYY-MM-DD' },
      { path: 'b', message: 'is required' },
      { path: 'grain', message: 'unknown field' },
    ]);
    expect(problems(DidQuery, query(`project=${PROJECT}&metric=loneliness&a=2025-01-01&b=2025-01-01`))).toEqual([{ path: 'b', message: 'must be after a' }]);
    expect(problems(DidQuery, query('project=x&metric=Loneliness&a=1899-12-31&b=2025-01-01&b=2026-01-01'))).toEqual([
      { path: 'project', message: 'must be a UUID' },
      { path: 'metric', message: 'must be 2–63 characters of a–z, 0–9 and _, starting with a letter' },
      { path: 'a', message: 'must lie between 1900-01-01 and 2200-12-31' },
      { path: 'b', message: 'must be a real calendar date written YYYY-MM-DD' },
    ]);
  });
});

describe('SystemQuery', () => {
  it('filters by place, service, dates, grain and level', () => {
    expect(accepted(SystemQuery, query(`service=${PROJECT}&grain=year&level=service`))).toEqual({ service: PROJECT, grain: 'year', level: 'service' });
    expect(problems(SystemQuery, query('project=x&to=1899-01-01&level=person'))).toEqual([
      { path: 'to', message: 'must lie between 1900-01-01 and 2200-12-31' },
      { path: 'level', message: 'Invalid option: expected one of "service"|"place"' },
      { path: 'project', message: 'unknown field' },
    ]);
    expect(problems(SystemQuery, query(`service=${PROJECT}&level=place`))).toEqual([
      { path: 'service', message: 'filters service rows; it cannot be used with level=place' },
    ]);
  });
});

describe('StoriesQuery', () => {
  it('filters by project, metric and theme', () => {
    expect(accepted(StoriesQuery, query('theme=continuity&metric=loneliness'))).toEqual({ theme: 'continuity', metric: 'loneliness' });
    expect(problems(StoriesQuery, query('theme=Continuity&from=2025-01-01'))).toEqual([
      { path: 'theme', message: 'must be 1–40 characters of a–z, 0–9, _ and -, starting with a letter' },
      { path: 'from', message: 'unknown field' },
    ]);
  });
});
