import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { Spread } from './stats.js';

export interface Target {
  op: '>=' | '<=';
  value: number;
}

/** One measured figure: the median of its runs, with min and max, beside its target. */
export interface Figure {
  label: string;
  unit: string;
  spread: Spread;
  target?: Target;
  /** Lower is better for time, memory and latency; higher for rates. Decides which end of the spread matters. */
  pass?: boolean;
}

export interface ScenarioResult {
  id: number;
  title: string;
  figures: Figure[];
  notes: string[];
  /** Set when the scenario could not run to the end; its figures are what was measured before. */
  error?: string;
  seconds: number;
}

export function figure(label: string, unit: string, spread: Spread, target?: Target): Figure {
  const out: Figure = { label, unit, spread };
  if (target) {
    out.target = target;
    out.pass = target.op === '>=' ? spread.median >= target.value : spread.median <= target.value;
  }
  return out;
}

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export function machineInfo(): MachineInfo {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

const fmt = (n: number): string => {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
};

/** The results as a plain-text table (also pasted into docs/performance.md). */
export function renderTable(results: readonly ScenarioResult[]): string {
  const header = ['#', 'figure', 'median', 'min', 'max', 'unit', 'target', 'result'];
  const rows: string[][] = [];
  for (const r of results) {
    if (r.error) rows.push([String(r.id), `${r.title}: ERROR ${r.error.split('\n')[0]?.slice(0, 100) ?? ''}`, '', '', '', '', '', 'error']);
    for (const f of r.figures) {
      rows.push([
        String(r.id),
        f.label,
        fmt(f.spread.median),
        fmt(f.spread.min),
        fmt(f.spread.max),
        f.unit,
        f.target ? `${f.target.op} ${fmt(f.target.value)}` : '',
        f.pass === undefined ? '' : f.pass ? 'pass' : 'MISS',
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, i) => (i >= 2 && i <= 4 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...rows.map(line)].join('\n');
}

export function writeJson(file: string, payload: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(payload, null, 2)}\n`);
}
