/**
 * Values written into a systemd unit so that systemd reads back exactly the
 * text given (systemd.syntax(7), systemd.unit(7) "Specifiers",
 * systemd.service(7) "Command lines"): a path with spaces, quotes, `%` or `$`
 * must not split into several words or be expanded.
 */

/** Characters that need neither quoting nor escaping in a unit word. */
const PLAIN = /^[A-Za-z0-9_/.:,+@=-]+$/;

/**
 * One word of a setting that splits on whitespace (ExecStart=, ReadWritePaths=,
 * Environment=). `%` is doubled (specifiers are expanded in all three), `$`
 * too where variables are (`dollar`: ExecStart=). Anything beyond plain
 * characters is put in double quotes, with `\` and `"` escaped and control
 * characters written as \xNN (C escapes are read inside quotes).
 */
export function unitWord(text: string, { dollar = false }: { dollar?: boolean } = {}): string {
  if (PLAIN.test(text)) return text;
  let out = text.replace(/%/g, '%%');
  if (dollar) out = out.replace(/\$/g, '$$$$');
  out = out.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  // eslint-disable-next-line no-control-regex
  out = out.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `"${out}"`;
}

/** `Environment=NAME=value` with the assignment as one word. */
export function unitEnvironment(name: string, value: string): string {
  return `Environment=${unitWord(`${name}=${value}`)}`;
}
