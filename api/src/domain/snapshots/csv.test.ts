import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import type { CatalogueMetric } from './catalogue.ts';
import { parseSnapshotCsv } from './csv.ts';

const catalogue = new Map<string, CatalogueMetric>([
  ['people_supported', { key: 'people_supported', kind: 'count', archived: false }],
  ['reoffending_12m', { key: 'reoffending_12m', kind: 'proportion', archived: false }],
  ['loneliness', { key: 'loneliness', kind: 'proportion', archived: false }],
  ['old_metric', { key: 'old_metric', kind: 'count', archived: true }],
]);
const HEADER = 'period_start,period_end,metric_key,value,numerator,denominator,comparator_value,comparator_kind,comparator_source';

async function refusal(text: string) {
  const error = await parseSnapshotCsv(text, catalogue).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).problems;
}

describe('parseSnapshotCsv', () => {
  it('reads good rows with their line numbers and refuses bad ones by line, column and reason', async () => {
    const text = [
      HEADER, // 1
      '2025-01-01,2025-03-31,people_supported,80,,,,,', // 2 good
      '2025-01-01,2025-03-31,reoffending_12m,,12,80,0.25,national_average,MoJ proven reoffending statistics', // 3 good
      '2025-01-01,2025-03-31,reoffending_12m,,90,80,,,', // 4 numerator > denominator
      '2025-02-30,2025-03-31,people_supported,5,,,,,', // 5 no such date
      '2025-01-01,2025-03-31,happiness,1,,,,,', // 6 unknown metric
      '', // 7 blank, skipped
      '2025-01-01,2025-03-31,people_supported,81,,,,,', // 8 repeats line 2
      '2025-04-01,2025-06-30,people_supported,12 people,,,,,', // 9 not a number
      '2025-04-01,2025-06-30,loneliness,0.3,,,0.2,,', // 10 comparator without kind and source
      '2025-04-01,2025-06-30,people_supported,,4,5,,,', // 11 numerator for a count
      '2025-04-01,2025-06-30,people_supported', // 12 too few fields
      '2025-04-01,2025-06-30,loneliness,,"1","4",,,', // 13 good, quoted numbers
      '2025-06-30,2025-04-01,people_supported,2.5,,,,,', // 14 reversed period, and a count that is not whole
      '2025-04-01,2025-06-30,old_metric,1,,,,,', // 15 archived metric
      '2025-04-01,2025-06-30,reoffending_12m,0.4,,,0.5,baseline,"Own 2023 figures,\nrecounted"', // 16–17 good, a quoted line break
      '2025-04-01,2025-06-30,reoffending_12m,0.5,,,,,', // 18 repeats line 16
    ].join('\r\n');
    const { observations, rejected } = await parseSnapshotCsv(text, catalogue);
    expect(observations.map((o) => [o.line, o.period_start, o.period_end, o.observation.metric_key])).toEqual([
      [2, '2025-01-01', '2025-03-31', 'people_supported'],
      [3, '2025-01-01', '2025-03-31', 'reoffending_12m'],
      [13, '2025-04-01', '2025-06-30', 'loneliness'],
      [16, '2025-04-01', '2025-06-30', 'reoffending_12m'],
    ]);
    expect(observations[1]!.observation).toEqual({
      metric_key: 'reoffending_12m', numerator: 12, denominator: 80, disaggregation: {},
      comparator: { value: 0.25, kind: 'national_average', source: 'MoJ proven reoffending statistics' },
    });
    expect(observations[3]!.observation.comparator).toEqual({ value: 0.5, kind: 'baseline', source: 'Own 2023 figures,\nrecounted' });
    expect(rejected).toEqual([
      { line: 4, field: 'numerator', reason: 'must not exceed denominator (80)' },
      { line: 5, field: 'period_start', reason: 'must be a real calendar date written YYYY-MM-DD' },
      { line: 6, field: 'metric_key', reason: '"happiness" is not a metric in the catalogue' },
      { line: 8, field: 'metric_key', reason: 'repeats line 2: the same metric and period' },
      { line: 9, field: 'value', reason: 'must be a number written with digits and an optional decimal point, e.g. 12 or 0.15, not "12 people"' },
      { line: 10, field: 'comparator_kind', reason: 'is required with comparator_value' },
      { line: 10, field: 'comparator_source', reason: 'is required with comparator_value' },
      { line: 11, field: 'numerator', reason: 'people_supported is a count: give a value, not a numerator and denominator' },
      { line: 12, field: '', reason: 'has 3 fields; the header has 9' },
      { line: 14, field: 'period_end', reason: 'must not be before period_start' },
      { line: 14, field: 'value', reason: 'must be a whole number for a count' },
      { line: 15, field: 'metric_key', reason: '"old_metric" is archived and takes no new figures' },
      { line: 18, field: 'metric_key', reason: 'repeats line 16: the same metric and period' },
    ]);
  });

  it('takes the columns in any order and without the optional ones', async () => {
    const { observations, rejected } = await parseSnapshotCsv('Metric_Key, value ,period_end,period_start\npeople_supported,7,2025-03-31,2025-01-01\n', catalogue);
    expect(rejected).toEqual([]);
    expect(observations).toEqual([{ line: 2, period_start: '2025-01-01', period_end: '2025-03-31', observation: { metric_key: 'people_supported', value: 7, disaggregation: {} } }]);
  });

  it('keeps the rows before a quote that never closes, and reports the line its record starts on', async () => {
    const text = `${HEADER}\n2025-01-01,2025-03-31,people_supported,80,,,,,\n\n2025-04-01,2025-06-30,people_supported,81,,,1,target,"never closed\n2025-07-01,2025-09-30,people_supported,82,,,,,\n`;
    const { observations, rejected } = await parseSnapshotCsv(text, catalogue);
    expect(observations.map((o) => o.line)).toEqual([2]);
    expect(rejected).toEqual([
      { line: 4, field: '', reason: 'a quoted field that starts on this line is never closed, so the file cannot be read from here on' },
    ]);
  });

  it('refuses a file whose header cannot be used, naming every problem', async () => {
    expect(await refusal('')).toEqual([
      { path: 'lines[1]', message: `the file is empty; its first line must name the columns: ${HEADER}` },
    ]);
    expect(await refusal('period_start,period_start,metric,value\n')).toEqual([
      { path: 'lines[1]', message: `column "period_start" appears twice; unknown column "metric"; column "period_end" is missing; column "metric_key" is missing. The columns are: ${HEADER}` },
    ]);
    expect(await refusal('period_start,period_end,metric_key\n')).toEqual([
      { path: 'lines[1]', message: `give a "value" column, or "numerator" and "denominator" columns. The columns are: ${HEADER}` },
    ]);
  });

  it('strips a byte-order mark and accepts a header with no rows as no rows', async () => {
    expect(await parseSnapshotCsv(`\uFEFF${HEADER}\n`, catalogue)).toEqual({ observations: [], rejected: [] });
  });
});
