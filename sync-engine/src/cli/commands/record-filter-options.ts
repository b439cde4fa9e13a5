import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';

/** The Records list's schema filters as `records list` and `records export` take them (records/record-filter.ts). */
export interface FilterOptions {
  where?: Record<string, string>;
  due?: 'overdue' | 'today';
}

/** `--where FIELD=VALUE` (repeatable) and `--due overdue|today` on a records command. */
export function withFilterOptions(command: Command): Command {
  return command
    .option('--where <field=value>', 'only records whose field holds this value, on a field the dataset filters by, e.g. status=processing or communeCode=25747 (repeatable)', parseWhere)
    .option('--due <when>', 'overdue (appointment past, not done) or today (due today on this computer\'s calendar), earliest first', parseDue);
}

function parseWhere(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const at = value.indexOf('=');
  const field = value.slice(0, at).trim();
  const wanted = value.slice(at + 1).trim();
  if (at < 1 || !/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(field) || wanted === '') throw new InvalidArgumentError('expected FIELD=VALUE, e.g. status=processing');
  return { ...previous, [field]: wanted };
}

function parseDue(value: string): 'overdue' | 'today' {
  if (value !== 'overdue' && value !== 'today') throw new InvalidArgumentError('expected overdue or today');
  return value;
}

/** The AgentApi `filter` of the options; undefined when none is given. */
export function filterOf(opts: FilterOptions): { fields?: Record<string, string>; due?: 'overdue' | 'today' } | undefined {
  if (!opts.where && !opts.due) return undefined;
  return { ...(opts.where ? { fields: opts.where } : {}), ...(opts.due ? { due: opts.due } : {}) };
}
