import { describe, expect, it } from 'vitest';
import { OutcomesQuery, StoriesQuery, SystemQuery } from './query.ts';
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

describe('SystemQuery', () => {
  it('filters by place, service, dates and grain', () => {
    expect(accepted(SystemQuery, query(`service=${PROJECT}&grain=year`))).toEqual({ service: PROJECT, grain: 'year' });
    expect(problems(SystemQuery, query('project=x&to=1899-01-01'))).toEqual([
      { path: 'to', message: 'must lie between 1900-01-01 and 2200-12-31' },
      { path: 'project', message: 'unknown field' },
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
