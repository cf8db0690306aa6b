import cliProgress from 'cli-progress';

export interface ProgressReporter {
  update(phase: string, done: number, total: number): void;
  stop(): void;
}

/**
 * A bar with rows, rate and time left on a terminal; on a pipe (CI, logs) a line every
 * tenth of the way, so long work still shows it is moving.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  let bar: cliProgress.SingleBar | null = null;
  let phase = '';
  let lastTenth = -1;
  const started = Date.now();
  const finishBar = () => {
    bar?.stop();
    bar = null;
  };
  return {
    update(nextPhase, done, total) {
      if (nextPhase !== phase) {
        finishBar();
        phase = nextPhase;
        lastTenth = -1;
        if (stream.isTTY) {
          bar = new cliProgress.SingleBar(
            {
              stream,
              format: `${phase.padEnd(14)} {bar} {percentage}% | {value}/{total} | {rate}/s | eta {eta_formatted}`,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, 0, { rate: 0 });
        }
      }
      if (bar) {
        const seconds = (Date.now() - started) / 1000;
        bar.setTotal(total);
        bar.update(done, { rate: seconds > 0 ? Math.round(done / seconds) : 0 });
      } else {
        const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
        if (tenth > lastTenth) {
          lastTenth = tenth;
          stream.write(`${phase}: ${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')}\n`);
        }
      }
    },
    stop: finishBar,
  };
}
