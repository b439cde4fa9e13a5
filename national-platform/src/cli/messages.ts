import type { Command } from 'commander';
import { dateTime } from './date-time.js';
import { CliError, printRows, withAdmin, type CliIo } from './context.js';
import { langOf, speaker } from './language.js';
import { proofReason } from './proof-reasons.js';

/** The message log: who changed what, and the check of a change's signature. */
export function messagesCommand(program: Command, io: CliIo): void {
  const messages = program.command('messages').description('the message log: every accepted mutation with its signed request');
  messages
    .command('list')
    .description('newest first')
    .option('--record <id>', 'only this record')
    .option('--dataset <name>', 'only this dataset')
    .option('--agent <id>', 'only this agent')
    .option('--mutation <id>', 'only this mutation')
    .option('--limit <n>', 'at most this many (up to 10000)', '50')
    .option('--json', 'print JSON (with each mutation as received)')
    .action(async (o: { record?: string; dataset?: string; agent?: string; mutation?: string; limit: string; json?: boolean }, command: Command) => {
      const limit = Number(o.limit);
      // The log answers at most 10,000 rows: a larger --limit got 10,000 without a word.
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new CliError({ vi: '--limit phải là một số nguyên từ 1 đến 10000', en: '--limit must be a whole number from 1 to 10000' });
      const rows = await withAdmin(command, (admin) =>
        admin.messageLog({
          ...(o.record ? { recordId: o.record } : {}),
          ...(o.dataset ? { dataset: o.dataset } : {}),
          ...(o.agent ? { agentId: o.agent } : {}),
          ...(o.mutation ? { mutationId: o.mutation } : {}),
          limit,
        }),
      );
      printRows(io, langOf(command), o.json === true, rows as unknown as Record<string, unknown>[], ['seq', 'receivedAt', 'siteCode', 'dataset', 'recordId', 'rev', 'mutationId']);
    });
  messages
    .command('verify <mutationId>')
    .description("check again that the mutation came in a request its agent signed (exit 1 if it cannot be shown)")
    .option('--json', 'print JSON')
    .action(async (mutationId: string, o: { json?: boolean }, command: Command) => {
      const check = await withAdmin(command, (admin) => admin.checkProof(mutationId));
      const t = speaker(command);
      if (o.json) io.out(`${JSON.stringify(check)}\n`);
      if (check.status === 'verified') {
        if (!o.json) {
          io.out(
            `${t(
              `đã xác minh: tác tử ${check.agentId} ký lúc ${dateTime(check.signedAt)} (yêu cầu ${check.requestId})`,
              `verified: signed by agent ${check.agentId} at ${dateTime(check.signedAt)} (request ${check.requestId})`,
            )}\n`,
          );
        }
        return;
      }
      if (check.status === 'not_found') {
        throw new CliError({ vi: 'không tìm thấy: không có thay đổi nào đã nhận mang mã này', en: 'not found: no accepted mutation has this id' });
      }
      // Why, in the operator's language (proof-reasons.ts); --json carries the check's reasonCode and English reason.
      const why = proofReason(check);
      throw new CliError(
        check.status === 'invalid' ? { vi: `KHÔNG hợp lệ: ${why.vi}`, en: `NOT verified: ${why.en}` } : { vi: `không thể xác minh: ${why.vi}`, en: `cannot be verified: ${why.en}` },
      );
    });
}
