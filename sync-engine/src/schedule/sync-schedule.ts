import type { CronProblem, CronSource } from './ports.js';

/** Every five minutes: frequent enough for an office, light on the platform. */
export const DEFAULT_SCHEDULE = '*/5 * * * *';

const FIELD_NAMES: Record<string, { vi: string; en: string }> = {
  minute: { vi: 'phút', en: 'minute' },
  hour: { vi: 'giờ', en: 'hour' },
  dayOfMonth: { vi: 'ngày trong tháng', en: 'day of month' },
  month: { vi: 'tháng', en: 'month' },
  dayOfWeek: { vi: 'thứ trong tuần', en: 'day of week' },
};

/** A schedule that is not a valid five-field cron expression. */
export class InvalidSchedule extends Error {
  readonly kind = 'invalid_schedule' as const;
  readonly messages: { vi: string; en: string };
  constructor(
    readonly expression: string,
    readonly problems: readonly CronProblem[],
  ) {
    const detail = describe(problems);
    const messages = {
      vi: `Lịch đồng bộ "${expression}" không hợp lệ: ${detail.vi}. Cần 5 trường: phút giờ ngày tháng thứ, ví dụ "${DEFAULT_SCHEDULE}" (5 phút một lần).`,
      en: `The sync schedule "${expression}" is not valid: ${detail.en}. It needs 5 fields: minute hour day-of-month month day-of-week, e.g. "${DEFAULT_SCHEDULE}" (every 5 minutes).`,
    };
    super(messages.en);
    this.name = 'InvalidSchedule';
    this.messages = messages;
  }
}

/**
 * Checks a schedule from the settings. Five fields only: node-cron would also
 * take a seconds field, but a sync every few seconds from every office would be
 * a load the platform never agreed to.
 */
export function checkSchedule(expression: string, cron: CronSource): string {
  const trimmed = expression.trim().replace(/\s+/g, ' ');
  const fields = trimmed === '' ? 0 : trimmed.split(' ').length;
  if (fields !== 5) throw new InvalidSchedule(expression, [{ field: 'expression', value: String(fields) }]);
  const problems = cron.problems(trimmed);
  if (problems.length > 0) throw new InvalidSchedule(expression, problems);
  return trimmed;
}

function describe(problems: readonly CronProblem[]): { vi: string; en: string } {
  const first = problems[0];
  if (first?.field === 'expression') {
    const count = first.value ?? '?';
    return { vi: `có ${count} trường thay vì 5`, en: `it has ${count} fields instead of 5` };
  }
  const vi = problems.map((p) => `trường ${FIELD_NAMES[p.field]?.vi ?? p.field} "${p.value ?? ''}" sai`);
  const en = problems.map((p) => `the ${FIELD_NAMES[p.field]?.en ?? p.field} field "${p.value ?? ''}" is wrong`);
  return { vi: vi.join('; '), en: en.join('; ') };
}
