import path from 'node:path';
import { importsOf } from './imports.ts';

export const packages = ['schema', 'etl', 'api', 'dashboard', 'reports', 'tests'] as const;
export type Package = (typeof packages)[number];

/**
 * Layers point one way: schema ← etl ← api; dashboard and reports use the schema and only
 * the API's types; reports reuse the dashboard's chart builders. `tests` may use everything.
 */
export const allowed: Record<Package, { runtime: Package[]; typesOnly: Package[] }> = {
  schema: { runtime: [], typesOnly: [] },
  etl: { runtime: ['schema'], typesOnly: [] },
  api: { runtime: ['schema', 'etl'], typesOnly: [] },
  dashboard: { runtime: ['schema'], typesOnly: ['api'] },
  reports: { runtime: ['schema', 'dashboard'], typesOnly: ['api'] },
  tests: { runtime: ['schema', 'etl', 'api', 'dashboard', 'reports'], typesOnly: [] },
};

export function layeringViolations(root: string, pkg: Package): string[] {
  const rule = allowed[pkg];
  const problems: string[] = [];
  const pkgDir = path.join(root, pkg);
  for (const site of importsOf(pkgDir)) {
    const where = `${path.relative(root, site.file)}:${site.line}`;
    const ours = /^@firstmile\/([a-z]+)/.exec(site.specifier)?.[1] as Package | undefined;
    if (ours && ours !== pkg) {
      const ok = rule.runtime.includes(ours) || (site.typeOnly && rule.typesOnly.includes(ours));
      if (!ok) problems.push(`${where}: ${pkg} may not import ${site.specifier}${rule.typesOnly.includes(ours) ? ' except as types' : ''}`);
    }
    if (site.specifier.startsWith('.')) {
      const target = path.resolve(path.dirname(site.file), site.specifier);
      if (!target.startsWith(pkgDir + path.sep)) {
        problems.push(`${where}: relative import ${site.specifier} leaves the ${pkg} package; import the package by name`);
      }
    }
  }
  return problems;
}

