/**
 * Where a JSON text is first wrong, as a person finds it in an editor (line
 * and column, from 1), with JSON.parse's reason without its character offset
 * or its copy of the text; null when the text parses. Node 20's messages give
 * an offset for some errors and none for others ("Unexpected token ']', "[1,]"
 * is not valid JSON"), so the place is found by parsing ever shorter starts of
 * the text: the first start that fails before its own end ends at the error.
 */
export function jsonErrorPlace(text: string): { line: number; column: number; reason: string } | null {
  const reason = parseError(text, text.length);
  if (reason === null) return null;
  let index: number;
  if (runsOut(reason, text.length)) {
    // Cut short (a closing } or ] missing): the place is just after the last character written.
    index = text.trimEnd().length;
  } else {
    let fine = 0;
    let failing = text.length;
    while (failing - fine > 1) {
      const middle = Math.floor((fine + failing) / 2);
      if (parseError(text, middle) === null) fine = middle;
      else failing = middle;
    }
    index = failing - 1;
  }
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const column = index - (before.lastIndexOf('\n') + 1) + 1;
  const said = reason
    .replace(/ in JSON at position \d+| at position \d+/, '')
    .replace(/', .*is not valid JSON$/s, "'")
    .replace(/\n/g, '\\n');
  return { line, column, reason: said };
}

/** JSON.parse's message for the first `length` characters, or null when they parse or (a start shorter than the text) only run out. */
function parseError(text: string, length: number): string | null {
  try {
    JSON.parse(text.slice(0, length));
    return null;
  } catch (error) {
    const message = (error as Error).message;
    return length < text.length && runsOut(message, length) ? null : message;
  }
}

/** Whether JSON.parse failed only for running out of the `length` characters it was given. */
function runsOut(message: string, length: number): boolean {
  if (message.startsWith('Unexpected end of JSON input')) return true;
  const at = /at position (\d+)/.exec(message);
  return at !== null && Number(at[1]) >= length;
}
