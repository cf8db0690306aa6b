import { readdirSync, readFileSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Json } from './benchmark.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const resultsDir = path.join(repoRoot, 'bench-results');

export type MachineInfo = {
  node: string;
  platform: string;
  arch: string;
  osRelease: string;
  cpuModel: string;
  cpus: number;
  totalMemoryBytes: number;
  date: string;
};

export function machineInfo(): MachineInfo {
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    osRelease: os.release(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cpus: os.availableParallelism(),
    totalMemoryBytes: os.totalmem(),
    date: new Date().toISOString(),
  };
}

export function median(values: number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  // noUncheckedIndexedAccess: the indexes are in range because the list is not empty.
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile: a latency some query actually had, not an interpolation. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** A timing repeated a few times; the median is the number we quote. */
export type Repeated = { medianMs: number; runsMs: number[] };

export function repeated(runsMs: number[]): Repeated & { [key: string]: Json } {
  return { medianMs: round(median(runsMs)), runsMs: runsMs.map((ms) => round(ms)) };
}

/**
 * Samples memory on a timer and on demand. The timer cannot fire while WebAssembly holds
 * the event loop (PGlite runs in this thread), so callers also sample after each phase;
 * WASM memory only grows, so a sample after a phase sees that phase's peak.
 */
export class MemorySampler {
  readonly baselineRss = process.memoryUsage().rss;
  peakRss = this.baselineRss;
  peakExtra: number | null = null;
  private readonly timer: NodeJS.Timeout;

  /** `extra` measures something outside this process (a server's memory); null when unknown. */
  constructor(private readonly extra: () => number | null = () => null, intervalMs = 50) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    this.peakRss = Math.max(this.peakRss, process.memoryUsage().rss);
    const extra = this.extra();
    if (extra !== null) this.peakExtra = Math.max(this.peakExtra ?? 0, extra);
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}

function memoryOf(pid: number): number | null {
  // Pss splits shared pages (shared_buffers) between the processes using them, so the sum
  // over a postmaster and its backends does not count the same memory once per backend.
  try {
    const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    if (pss?.[1]) return Number(pss[1]) * 1024;
  } catch {
    // Older kernels or another user's process: fall back to resident size.
  }
  try {
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return rss?.[1] ? Number(rss[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Memory of a process and its direct children (a postmaster and its backends); Linux only. */
export function processTreeMemory(rootPid: number): number | null {
  if (process.platform !== 'linux') return null;
  const own = memoryOf(rootPid);
  if (own === null) return null;
  let total = own;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name in field 2 may hold spaces; the parent pid follows its closing paren.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === rootPid) total += memoryOf(Number(entry)) ?? 0;
    } catch {
      // The process ended between listing and reading.
    }
  }
  return total;
}

/** Disk usage the way `du` counts it (allocated blocks), without following links. */
export async function diskUsage(target: string): Promise<number> {
  const info = await lstat(target);
  let total = info.blocks * 512;
  if (info.isDirectory()) {
    for (const entry of await readdir(target)) total += await diskUsage(path.join(target, entry));
  }
  return total;
}

/**
 * A fresh folder under bench-results/tmp (ignored by git, on the same disk as a real data
 * folder, unlike a tmpfs /tmp). When we are root the embedded server runs as the postgres
 * user, which must be able to pass through it.
 */
export async function makeTempDir(prefix: string): Promise<string> {
  const parent = path.join(resultsDir, 'tmp');
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(path.join(parent, `${prefix}-`));
  if (os.userInfo().uid === 0) await chmod(dir, 0o711);
  return dir;
}

export async function packageVersion(name: string): Promise<string> {
  try {
    const manifest = JSON.parse(await readFile(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return manifest.version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
