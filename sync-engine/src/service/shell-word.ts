/** A path as one shell word in a command shown to a person: bare when it needs no quoting, else quoted for the shell this platform's IT types into. */
export function shellWord(path: string): string {
  if (/^[\w./:\\-]+$/.test(path)) return path;
  return process.platform === 'win32' ? `"${path}"` : `'${path.replace(/'/g, `'\\''`)}'`;
}
