import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/**
 * Child processes the benchmarks start (a server, a command) and their memory, read from
 * /proc on Linux. Peak resident memory is the kernel's own high-water mark (VmHWM), so a
 * short spike between two samples is not missed.
 */

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The most memory the process has had resident since it started; null when unknown. */
export function peakRss(pid: number): number | null {
  return statusField(pid, 'VmHWM');
}

export function currentRss(pid: number): number | null {
  return statusField(pid, 'VmRSS');
}

/**
 * Follows one process's resident memory: every `intervalMs`, and its high-water mark on
 * demand. `peakBytes` is the larger of the two, `samples` the RSS over time (for the JSON).
 */
export class RssWatch {
  peakBytes: number | null = null;
  readonly samples: { ms: number; rssBytes: number }[] = [];
  private readonly started = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number, private readonly everyMs = 1000) {
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }

  private lastRecorded = -Infinity;

  sample(): void {
    const rss = currentRss(this.pid);
    const hwm = peakRss(this.pid);
    for (const value of [rss, hwm]) if (value !== null) this.peakBytes = Math.max(this.peakBytes ?? 0, value);
    const ms = Date.now() - this.started;
    if (rss !== null && ms - this.lastRecorded >= this.everyMs) {
      this.samples.push({ ms, rssBytes: rss });
      this.lastRecorded = ms;
    }
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Collects a child's output (the tail, for long runs) and resolves when it exits. */
export function collect(child: ChildProcess, keepChars = 200_000): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-keepChars)));
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-keepChars)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Resolves with the first match of `ready` in the child's output; rejects if it exits first. */
export function waitForOutput(child: ChildProcess, ready: RegExp, timeoutMs = 120_000): Promise<RegExpExecArray> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`timed out waiting for ${ready}:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) done(null, match);
    };
    const onExit = (code: number | null) => done(new Error(`exited with ${code} before ${ready}:\n${output}`));
    function done(error: Error | null, match?: RegExpExecArray) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else if (match) resolve(match);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

export const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** `/usr/bin/time -v`'s "Maximum resident set size (kbytes)", in bytes. */
export function maxRssFromGnuTime(stderr: string): number | null {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return match?.[1] ? Number(match[1]) * 1024 : null;
}

/** Spawns `command args` under `/usr/bin/time -v` when present, so its peak RSS is reported exactly. */
export function spawnTimed(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): { child: ChildProcess; underGnuTime: boolean } {
  if (gnuTime) {
    return { child: spawn(gnuTime, ['-v', command, ...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] }), underGnuTime: true };
  }
  return { child: spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] }), underGnuTime: false };
}
