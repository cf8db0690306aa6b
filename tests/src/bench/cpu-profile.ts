import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where a Node process spent its time, from the V8 CPU profile `node --cpu-prof` writes on
 * exit: self time by function and by source file or package, largest first.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

function isProfile(value: unknown): value is CpuProfile {
  return typeof value === 'object' && value !== null && 'nodes' in value && Array.isArray(value.nodes) && 'samples' in value;
}

export type ProfileShare = {
  name: string;
  ms: number;
  percent: number;
};

/** A type, not an interface, so it is assignable to the benchmark's Json. */
export type ProfileSummary = {
  file: string;
  sampledMs: number;
  byFunction: ProfileShare[];
  byFile: ProfileShare[];
};

/** A short place for a script: the package it comes from, or its path inside the repository. */
function placeOf(url: string, repoRoot: string): string {
  if (url === '') return '(native or V8)';
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (inModules?.[1]) return inModules[1].startsWith('@firstmile/') ? path.relative(repoRoot, file) : inModules[1];
  if (file.startsWith('node:')) return file;
  return path.isAbsolute(file) ? path.relative(repoRoot, file) : file;
}

function top(totals: Map<string, number>, all: number, count: number): ProfileShare[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => ({ name, ms: Math.round(ms), percent: Math.round((ms / all) * 1000) / 10 }));
}

export function summariseProfile(profile: CpuProfile, file: string, repoRoot: string, count = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // Each sample's time is the gap to the next one (microseconds).
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i]!;
    const next = deltas[i + 1] ?? 0;
    selfMs.set(id, (selfMs.get(id) ?? 0) + next / 1000);
  }
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  let all = 0;
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    if (!node) continue;
    all += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const place = placeOf(url, repoRoot);
    const name = functionName === '' ? '(anonymous)' : functionName;
    const key = url === '' ? name : `${name} ${place}:${lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + ms);
    const group = url === '' ? name : place;
    files.set(group, (files.get(group) ?? 0) + ms);
  }
  return { file, sampledMs: Math.round(all), byFunction: top(functions, all, count), byFile: top(files, all, count) };
}

/**
 * The busiest profile in a folder `--cpu-prof-dir` wrote to, summarised; null when there is
 * none. A process writes one profile per thread (tsx's module loader runs in a thread of its
 * own), so the one with the least idle time is the main thread's work.
 */
export async function summariseProfileIn(dir: string, repoRoot: string): Promise<ProfileSummary | null> {
  let busiest: { summary: ProfileSummary; busyMs: number } | null = null;
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.cpuprofile'))) {
    const parsed: unknown = JSON.parse(await readFile(path.join(dir, name), 'utf8'));
    if (!isProfile(parsed)) continue;
    const summary = summariseProfile(parsed, path.relative(repoRoot, path.join(dir, name)), repoRoot);
    const idle = summary.byFile.find((f) => f.name === '(idle)')?.ms ?? 0;
    const busyMs = summary.sampledMs - idle;
    if (busiest === null || busyMs > busiest.busyMs) busiest = { summary, busyMs };
  }
  return busiest?.summary ?? null;
}
