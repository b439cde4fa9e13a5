/** JSON text as JSON.parse reads it, and whether it holds a `__proto__` object key. */
export interface JsonText {
  value: unknown;
  /**
   * An object key read as `__proto__`, however it is spelled (`"\u005f_proto__"`
   * too). JSON.parse keeps it as an own key, but code that copies an object key
   * by key (`out[key] = value`) would set a prototype instead and lose the data.
   * The protocol never carries one: both sides refuse it.
   */
  protoKey: boolean;
}

/**
 * Parses JSON text (throws JSON.parse's SyntaxError when it is not JSON) and
 * reports a `__proto__` key. The reviver that sees every key costs a call per
 * value (about 20 % of parsing a push of 500), so it runs only when the text
 * could hold such a key: the plain name, or any `\u` escape, somewhere in it.
 * The agent's pull pages (Vietnamese letters written as they are) and most
 * pushes have neither.
 */
export function parseJsonText(text: string): JsonText {
  if (!text.includes('__proto__') && !text.includes('\\u')) return { value: JSON.parse(text) as unknown, protoKey: false };
  let protoKey = false;
  const value = JSON.parse(text, (key, v: unknown) => {
    if (key === '__proto__') protoKey = true;
    return v;
  }) as unknown;
  return { value, protoKey };
}

/** Deeper JSON is never a legitimate record or command; refusing it keeps recursion (ours and the schema's) bounded. */
export const MAX_JSON_DEPTH = 32;

/** The nesting depth of JSON text, counted without parsing (strings skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return max;
}
