/**
 * Deep equality of JSON values, the comparison the three-way merge uses.
 *
 * JSON semantics, not JavaScript identity: object key order does not matter,
 * array order does; a property whose value is `undefined` is the same as an
 * absent property (JSON.stringify drops it, and a field absent from a record is
 * the value `undefined` to the merge). `null` and `undefined` differ: `null` is
 * a value a person typed or cleared, `undefined` means the field is not there.
 */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    // Primitives of different value, or one side an object and the other not.
    return false;
  }
  const aIsArray = Array.isArray(a);
  if (aIsArray !== Array.isArray(b)) return false;
  if (aIsArray) {
    const left = a as readonly unknown[];
    const right = b as readonly unknown[];
    if (left.length !== right.length) return false;
    for (let i = 0; i < left.length; i += 1) {
      if (!valuesEqual(left[i], right[i])) return false;
    }
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const leftKeys = definedKeys(left);
  const rightKeys = definedKeys(right);
  if (leftKeys.length !== rightKeys.length) return false;
  for (const key of leftKeys) {
    if (!Object.hasOwn(right, key)) return false;
    if (!valuesEqual(left[key], right[key])) return false;
  }
  return true;
}

/** Own keys whose value is not `undefined` (JSON has no undefined). */
export function definedKeys(object: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(object).filter((key) => object[key] !== undefined);
}
