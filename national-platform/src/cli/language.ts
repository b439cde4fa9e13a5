import { InvalidArgumentError, type Command } from 'commander';

/**
 * The language the operator CLI speaks: Vietnamese first, English on a switch
 * (`--lang en`, else NATIONAL_PLATFORM_LANG). The platform's own small copy of
 * the agent CLI's choice (sync-engine/src/cli/program.ts parseLang), which it
 * may not import (only sync-engine/src/protocol is shared). Help stays English,
 * as the agent's.
 */
export type Lang = 'vi' | 'en';

/** One text in both languages. */
export interface Localized {
  vi: string;
  en: string;
}

/** The environment variable that chooses the language when `--lang` is not given (the agent reads its `language` setting there). */
export const LANG_ENV = 'NATIONAL_PLATFORM_LANG';

/** `--lang`'s parser: vi or en, anything else a usage error. */
export function parseLang(value: string): Lang {
  if (value !== 'vi' && value !== 'en') throw new InvalidArgumentError('expected vi or en');
  return value;
}

/**
 * The language when `--lang` is not given: NATIONAL_PLATFORM_LANG if it says
 * vi or en, else Vietnamese; `ignored` holds a value it could not use, for a
 * warning (a typo there would otherwise pass unseen on every command).
 */
export function defaultLang(env: Readonly<Record<string, string | undefined>> | undefined): { lang: Lang; ignored?: string } {
  const value = env?.[LANG_ENV]?.trim();
  if (value === undefined || value === '') return { lang: 'vi' };
  const lower = value.toLowerCase();
  if (lower === 'vi' || lower === 'en') return { lang: lower };
  return { lang: 'vi', ignored: value };
}

/** The language an action speaks: the program's `--lang` (its default set from the environment when the program was built). */
export function langOf(command: Command): Lang {
  let root = command;
  while (root.parent) root = root.parent;
  return (root.opts()['lang'] as Lang | undefined) ?? 'vi';
}

/** Picks one of two texts: Vietnamese first, English second. */
export type Speak = (vi: string, en: string) => string;

export function speakerOf(lang: Lang): Speak {
  return (vi, en) => (lang === 'vi' ? vi : en);
}

/** The speaker for an action, in the language of its program (langOf). */
export function speaker(command: Command): Speak {
  return speakerOf(langOf(command));
}

/** An English noun after its count: "1 record", "2 records" (Vietnamese nouns take no plural). */
export function nounOf(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}
