/**
 * CPU time on both sides of a measurement. A bench child (agent-child.ts)
 * prints a mark the moment its measured work starts and ends; the parent then
 * asks the platform's process (platform-host.ts) for its CPU clock. So the
 * agent's and the platform's CPU cover the same window.
 */

/** Mark lines start with this; child-runner.ts passes them to ChildOptions.onMark. */
export const MARK_PREFIX = '{"mark":';

export type Mark = 'start' | 'end';

/** CPU time (user + system) of this process so far, ms. */
export function cpuNowMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** In a child: tells the parent, the moment it happens, that the measured work starts or ends. */
export function printMark(mark: Mark): void {
  process.stdout.write(`${MARK_PREFIX}${JSON.stringify(mark)}}\n`);
}

/**
 * In the parent: the platform's CPU time between each 'start' and 'end' mark
 * of a child, ms per span. `read` asks the platform's process for its CPU time
 * so far (platform-host-client.ts); it is called the moment a mark arrives.
 */
export class CpuBetweenMarks {
  private readonly readings: Array<{ mark: Mark; ms: Promise<number> }> = [];

  constructor(private readonly read: () => Promise<number>) {}

  readonly onMark = (mark: string): void => {
    if (mark !== 'start' && mark !== 'end') return;
    const ms = this.read();
    ms.catch(() => undefined);
    this.readings.push({ mark, ms });
  };

  async spansMs(): Promise<number[]> {
    const spans: number[] = [];
    let started: number | null = null;
    for (const reading of this.readings) {
      const ms = await reading.ms;
      if (reading.mark === 'start') started = ms;
      else if (started !== null) {
        spans.push(ms - started);
        started = null;
      }
    }
    return spans;
  }
}
