import { PLATFORM_FAULT_CODE, type OutboxEntry } from '../outbox/outbox-entries.js';
import type { RecordError } from '../protocol/push.js';
import type { PlatformError } from './platform-error.js';

/**
 * A push the platform answers with HTTP 500: it failed on something in it,
 * perhaps one record's data that trips a bug of its own (docs/protocol.md,
 * "Push"). Unlike 502/503/504, a timeout or no answer at all (the platform or
 * its gateway down, maintenance), which stop the push and are retried with
 * backoff as they are, a 500 is narrowed down: a batch of several is split as
 * a 413 is, so what the platform can take goes up in the same run, and a
 * single mutation still answered 500 is set aside for the rest of the run,
 * in flight under its mutationId.
 */
export function isPlatformFault(error: PlatformError): boolean {
  return error.kind === 'http' && error.status === 500;
}

/**
 * How many runs in a row the platform may answer 500 to the same mutation sent
 * alone before it is held back for a person. One or two may be a passing fault
 * that needs nobody. A run counts when its push otherwise went through and the
 * platform took some other push in it, or this was the only mutation it failed
 * on (it may be all there was to send); several failed on and nothing taken
 * looks like the platform failing on every push, and counts none. A run that
 * sets a mutation aside is not retried sooner than the schedule (at the
 * default, every 5 minutes, three runs span ten minutes or more).
 */
export const HOLD_AFTER_PLATFORM_FAULTS = 3;

/**
 * A run in which the platform answered 500 to this many single mutations and
 * took no push at all stops as for any 5xx (retried with backoff), and counts
 * none of them: the platform is failing on whatever it is sent, not on one
 * record's data, and its fault must not hold back the whole queue one change
 * at a time. Several records the platform fails on at the head of the queue
 * are still told apart from that: the other half of every split batch goes
 * out alongside, and one it takes lets the narrowing go on.
 */
export const PLATFORM_FAILING_AFTER_FAULTS = 8;

/** The reason a mutation held back after HOLD_AFTER_PLATFORM_FAULTS answers of 500 shows, in both languages. */
export function platformFaultError(entry: Pick<OutboxEntry, 'dataset' | 'recordId' | 'mutationId'>, faults: number, error: PlatformError): RecordError {
  const said = error.message.trim();
  const en =
    `The national platform failed on this change ${faults} times in a row (HTTP 500, an error on the platform's side); ` +
    `the rest of the queue went on without it. Retry it later, or tell the platform's operators, naming record ${entry.recordId} ` +
    `of dataset ${entry.dataset} (change ${entry.mutationId}).` +
    (said ? ` The platform said: "${said}".` : '');
  const vi =
    `Nền tảng quốc gia bị lỗi khi xử lý thay đổi này ${faults} lần liên tiếp (HTTP 500, lỗi ở phía nền tảng); ` +
    `các thay đổi khác trong hàng đợi vẫn được gửi tiếp. Hãy gửi lại sau, hoặc báo cho đơn vị vận hành nền tảng, nêu rõ bản ghi ${entry.recordId} ` +
    `thuộc bộ dữ liệu ${entry.dataset} (thay đổi ${entry.mutationId}).` +
    (said ? ` Nền tảng trả lời: "${said}".` : '');
  return { path: '', code: PLATFORM_FAULT_CODE, message: en, messages: { vi, en } };
}
