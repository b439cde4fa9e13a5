/**
 * What the fake agent's command handlers share: their type, and its ways of
 * answering (a value, or a refusal in both languages).
 */
import type { ApiResult, CommandArgs, CommandName, CommandOutput } from '../../../sync-engine/src/api/index.js';

export type Handler<C extends CommandName> = (input: CommandArgs<C>) => ApiResult<CommandOutput<C>> | Promise<ApiResult<CommandOutput<C>>>;
/** One handler per command of the contract. */
export type Handlers = { [C in CommandName]: Handler<C> };

export const ok = <T>(value: T) => ({ ok: true as const, value });
export const fail = (code: 'not_found' | 'validation_failed' | 'unauthorized' | 'read_only' | 'conflict_unresolved', vi: string, en: string) => ({
  ok: false as const,
  error: { code, messages: { vi, en } },
});
