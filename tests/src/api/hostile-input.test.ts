import fc from 'fast-check';
import { sql } from 'kysely';
import { createApp, type FirstmileApp } from '@firstmile/api';
import { createTenants, testPseudonymiser, type Tenants } from '@firstmile/api/testing';
import { ErrorBody } from '@firstmile/schema';
import { createTestDatabase, pgTargets, type TestDatabase } from '@firstmile/schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileDates, hostileStrings, leafPaths, mutateCsv, mutation, mutate, RAW, rawNumbers, serialise, setAt } from './hostile-input.ts';
import { sampleWorld, type RequestSample } from './samples.ts';

/** Generated requests per database per CI run (so at least 1,000 in all). */
const runs = Number(process.env.FIRSTMILE_FUZZ_RUNS ?? 600);
const seed = Number(process.env.FIRSTMILE_FUZZ_SEED ?? Date.now() % 2 ** 31);

const leaks = /\n\s+at |node_modules|INSERT INTO|SELECT .* FROM|syntax error|violates .* constraint|duplicate key|relation "|column "/i;

async function fingerprint(t: TestDatabase): Promise<string> {
  const { rows } = await sql<{ f: string }>`
    SELECT concat_ws(',',
      (SELECT count(*) FROM organisations), (SELECT count(*) FROM places), (SELECT count(*) FROM commissioner_places),
      (SELECT count(*) FROM api_keys), (SELECT count(*) FROM projects), (SELECT count(*) FROM funding),
      (SELECT count(*) FROM services), (SELECT count(*) FROM unit_costs), (SELECT count(*) FROM metrics),
      (SELECT count(*) FROM snapshots), (SELECT count(*) FROM observations), (SELECT count(*) FROM stories),
      (SELECT count(*) FROM contacts), (SELECT count(*) FROM audit_log), (SELECT count(*) FROM idempotency_keys)) AS f
  `.execute(t.db);
  return rows[0]!.f;
}

describe.each(pgTargets())('hostile input on the $name PostgreSQL', (target) => {
  let t: TestDatabase;
  let app: FirstmileApp;
  let w: Tenants;
  let samples: RequestSample[];
  beforeAll(async () => {
    t = await createTestDatabase(target);
    app = createApp({ handle: t, pseudonymiser: testPseudonymiser() });
    w = await createTenants(t.db);
    samples = (await sampleWorld(app, t, w)).samples;
  });
  afterAll(() => t.drop());

  /** Sends one request and checks the three promises; returns whether it was refused. */
  async function check(sample: RequestSample, body: string | undefined, key: string): Promise<boolean> {
    const before = await fingerprint(t);
    const response = await app.request(sample.path, {
      method: sample.method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined ? { 'content-type': sample.contentType ?? 'application/json' } : {}),
        // Some requests replay; an idempotency key must not turn a refusal into a 500 either.
        ...(sample.method === 'POST' && body !== undefined && body.length % 3 === 0 ? { 'idempotency-key': `fuzz-${body.length}` } : {}),
      },
      body,
    });
    const text = await response.text();
    const what = `${sample.method} ${sample.path} ${body?.slice(0, 300)}`;
    expect(response.status, what).toBeLessThan(500);
    if (response.status < 400) return false;
    expect(ErrorBody.safeParse(JSON.parse(text)).success, text).toBe(true);
    expect(text, what).not.toMatch(leaks);
    expect(await fingerprint(t), `${what} wrote part of a refused request`).toBe(before);
    return true;
  }

  it('survives every hostile value in every field of every route (a full sweep)', async () => {
    const values = [...hostileStrings, ...hostileDates, ...rawNumbers.map(RAW), null, true, [], {}];
    let sent = 0;
    for (const sample of samples) {
      if (sample.body === undefined) continue;
      for (const path of leafPaths(sample.body).filter((p) => p.length > 0)) {
        for (const value of values) {
          await check(sample, serialise(setAt(sample.body, path, value)), sample.key);
          sent++;
        }
      }
    }
    expect(sent).toBeGreaterThan(100);
    console.info(`hostile sweep: ${sent} requests`);
  }, 300_000);

  it(`never answers 500, leaks internals, or writes part of a refused request (${runs} random requests, seed ${seed})`, async () => {
    expect(samples.length).toBeGreaterThan(5);
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: samples.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), async (index, mutations, asAdmin) => {
        const sample = samples[index]!;
        let body: string | undefined = sample.text !== undefined ? mutateCsv(sample.text, mutations[0]!) : undefined;
        if (sample.body !== undefined) {
          // Later mutations apply to the parsed result of earlier ones where it still parses.
          let current: unknown = sample.body;
          for (const m of mutations) {
            body = mutate(current, m);
            try {
              current = JSON.parse(body);
            } catch {
              break;
            }
          }
        }
        if (await check(sample, body, asAdmin ? w.keys.admin : sample.key)) refused++;
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
    // The generator must actually reach the refusal paths, or the property proves little.
    expect(refused).toBeGreaterThan(runs / 4);
  }, 300_000);
});
