import type pg from 'pg';
import type { DatabaseHandle } from '@firstmile/schema';
import { runEtl, type EtlRunSummary, type EtlSettings } from './run-etl.ts';

/** The channel the queue triggers notify on (see the analytics migration). */
export const ETL_CHANNEL = 'firstmile_etl';

export interface EtlWorkerOptions {
  settings?: EtlSettings;
  /** Wait this long after a notification before running, so a burst of writes makes one run. */
  debounceMs?: number;
  /** After a failed run, try again this much later (the queue keeps what it failed on). */
  retryMs?: number;
  onRun?: (summary: EtlRunSummary) => void;
  onError?: (error: unknown) => void;
}

export interface EtlWorker {
  /** Resolves when no run is under way or waiting: what was queued so far is in the tables. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the ETL by itself whenever the raw tables change: the triggers that fill the queue also
 * NOTIFY, and this LISTENs on its own connection. The work to do lives in the queue in
 * PostgreSQL, not in this process, so a notification missed while disconnected is caught up
 * by the run at start (and at reconnect); several servers may listen, the advisory lock in
 * runEtl lets one run at a time, and a run with nothing queued does nothing.
 */
export async function startEtlWorker(handle: Pick<DatabaseHandle, 'db' | 'pool'>, options: EtlWorkerOptions = {}): Promise<EtlWorker> {
  const debounceMs = options.debounceMs ?? 200;
  const retryMs = options.retryMs ?? 5_000;
  let stopped = false;
  let running: Promise<void> | null = null;
  let wanted = false;
  let timer: NodeJS.Timeout | null = null;
  let listener: pg.PoolClient | null = null;
  let release: () => Promise<void> = async () => undefined;
  const waiters: Array<() => void> = [];

  const settle = () => {
    if (running || wanted || timer) return;
    for (const resolve of waiters.splice(0)) resolve();
  };

  const run = () => {
    timer = null;
    if (stopped) return settle();
    if (running) {
      wanted = true;
      return;
    }
    wanted = false;
    running = (async () => {
      try {
        const summary = await runEtl(handle.db, { settings: options.settings });
        if (summary.mode !== 'nothing') options.onRun?.(summary);
      } catch (error) {
        // A run cut short by shutdown is rolled back and its queue kept for the next start.
        if (!stopped) {
          options.onError?.(error);
          schedule(retryMs);
        }
      } finally {
        running = null;
        if (wanted && !stopped) schedule(0);
        settle();
      }
    })();
  };

  function schedule(delay: number) {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, delay);
  }

  const connect = async () => {
    const client = await handle.pool.connect();
    const onNotification = (message: pg.Notification) => {
      if (message.channel === ETL_CHANNEL) schedule(debounceMs);
    };
    // A lost connection loses notifications: reconnect, then run to catch up with the queue.
    const onError = (error: Error) => {
      if (listener !== client) return;
      listener = null;
      detach();
      client.release(error);
      // At shutdown the database may go before we do (a Ctrl-C reaches both): not an error.
      if (stopped) return;
      options.onError?.(error);
      setTimeout(() => void connect().then(() => schedule(0), (e: unknown) => options.onError?.(e)), retryMs);
    };
    // The error handler stays for the client's life: a dying connection can emit more than
    // one error, and an unhandled one would end the process. It ignores all but the first.
    const detach = () => client.off('notification', onNotification);
    client.on('notification', onNotification);
    client.on('error', onError);
    await client.query(`LISTEN ${ETL_CHANNEL}`);
    listener = client;
    release = async () => {
      detach();
      // Closed rather than returned to the pool: closing ends the LISTEN, and no idle
      // connection is left to fail while the database stops.
      client.release(true);
    };
  };

  await connect();
  schedule(0);

  return {
    idle: () => new Promise<void>((resolve) => {
      waiters.push(resolve);
      settle();
    }),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
      if (listener) {
        listener = null;
        await release();
      }
      settle();
    },
  };
}
