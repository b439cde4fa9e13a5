/**
 * CPU time on both sides of a measurement. A bench child (agent-child.ts)
 * prints a mark the moment its measured work starts and ends; the parent,
 * whose process serves the platform, reads its own CPU clock at each mark. So
 * the agent's and the platform's CPU cover the same window.
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

/** In the parent: this process's CPU time between each 'start' and 'end' mark of a child, ms per span. */
export class CpuBetweenMarks {
  readonly spansMs: number[] = [];
  private startedMs: number | null = null;

  readonly onMark = (mark: string): void => {
    if (mark === 'start') this.startedMs = cpuNowMs();
    if (mark === 'end' && this.startedMs !== null) {
      this.spansMs.push(cpuNowMs() - this.startedMs);
      this.startedMs = null;
    }
  };
}
