import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf } from './imports.ts';
import { allowed, layeringViolations, packages, type Package } from './layering.ts';

const root = path.resolve(import.meta.dirname, '../../..');

describe('layering', () => {
  it.each(packages)('%s imports only the layers below it', (pkg) => {
    expect(layeringViolations(root, pkg)).toEqual([]);
  });

  it.each(packages)('%s declares only the workspace dependencies its layer allows', (pkg) => {
    const manifest = JSON.parse(readFileSync(path.join(root, pkg, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    const ours = Object.keys(manifest.dependencies ?? {})
      .filter((d) => d.startsWith('@firstmile/'))
      .map((d) => d.slice('@firstmile/'.length) as Package);
    const rule = allowed[pkg];
    expect(ours.filter((d) => !rule.runtime.includes(d) && !rule.typesOnly.includes(d))).toEqual([]);
  });

  it('migrations are frozen: they import nothing but kysely', () => {
    const specifiers = importsOf(path.join(root, 'schema'))
      .filter((s) => s.file.includes(`${path.sep}migrations${path.sep}`) && !s.file.endsWith('.test.ts'))
      .map((s) => s.specifier);
    expect(specifiers.length).toBeGreaterThan(0);
    expect([...new Set(specifiers)]).toEqual(['kysely']);
  });

  it('catches wrong-way imports (the rule itself can fail)', () => {
    const fixture = mkdtempSync(path.join(os.tmpdir(), 'firstmile-layering-'));
    try {
      mkdirSync(path.join(fixture, 'schema', 'src'), { recursive: true });
      mkdirSync(path.join(fixture, 'dashboard', 'src'), { recursive: true });
      writeFileSync(path.join(fixture, 'schema', 'src', 'bad.ts'), "import { createApp } from '@firstmile/api';\n");
      writeFileSync(
        path.join(fixture, 'dashboard', 'src', 'mixed.ts'),
        "import type { HealthBody } from '@firstmile/api';\nimport { createApp } from '@firstmile/api';\nimport x from '../../etl/src/index.ts';\n",
      );
      expect(layeringViolations(fixture, 'schema')).toEqual([
        'schema/src/bad.ts:1: schema may not import @firstmile/api',
      ]);
      expect(layeringViolations(fixture, 'dashboard')).toEqual([
        'dashboard/src/mixed.ts:2: dashboard may not import @firstmile/api except as types',
        'dashboard/src/mixed.ts:3: relative import ../../etl/src/index.ts leaves the dashboard package; import the package by name',
      ]);
    } finally {
      rmSync(fixture, { recursive: true, force: true });
    }
  });
});
