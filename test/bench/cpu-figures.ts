import { availableParallelism } from 'node:os';
import { figure, type Figure } from './report.js';
import { spread } from './stats.js';

export interface CpuFigures {
  /** Per run, s. */
  agent: number[];
  platform: number[];
}

/**
 * The CPU both sides used for `records`, and what it means for a target rate:
 * their CPU seconds as a share of what every core of this machine gives in the
 * time the target allows (records / rate). Above 100 %, the target cannot be
 * met on this machine with this much work, however well the work overlaps.
 */
export function cpuFigures(cpu: CpuFigures, records: number, targetRate: number): Figure[] {
  const cores = availableParallelism();
  const allowedCoreSeconds = (records / targetRate) * cores;
  const rate = targetRate.toLocaleString('en-US');
  const n = records.toLocaleString('en-US');
  return [
    figure(`(part) agent CPU for ${n} (user + system)`, 's', spread(cpu.agent)),
    figure(`(part) platform CPU for ${n} (user + system)`, 's', spread(cpu.platform)),
    figure(`(part) both sides' CPU / all cores' time at ${rate}/s`, '%', spread(cpu.agent.map((a, i) => ((a + (cpu.platform[i] ?? Number.NaN)) / allowedCoreSeconds) * 100))),
  ];
}
