import { MAX_JSON_DEPTH } from '../protocol/json-text.js';
import type { ApiError } from './contract.js';

/**
 * What every door refuses in a command input before the contract's schema
 * sees it, with one message in both languages: nesting deeper than the
 * protocol allows (MAX_JSON_DEPTH; deeper overflows the stack of the checks
 * behind) and a `__proto__` key (a schema that copies an object key by key
 * would set a prototype instead and drop the field silently; the platform
 * refuses both). The admin API checks its body's text (protocol/json-text:
 * jsonDepth before parsing, parseJsonText for the key); the window's IPC gets
 * a value, a structured clone, and checks it with inputShapeProblem.
 */
export const inputShapeErrors = {
  tooDeep: (limit: number = MAX_JSON_DEPTH): ApiError => ({
    code: 'invalid_input',
    messages: {
      vi: `Nội dung yêu cầu lồng nhau quá ${limit} cấp.`,
      en: `The request body nests deeper than ${limit} levels.`,
    },
  }),
  protoKey: (): ApiError => ({
    code: 'invalid_input',
    messages: {
      vi: 'Nội dung yêu cầu có trường tên "__proto__", tên này không được dùng.',
      en: 'The request body has a field named "__proto__", which is not allowed.',
    },
  }),
};

/**
 * The same check on a value: nesting counted as jsonDepth counts it (the
 * input object itself is level 1), and an own `__proto__` key at any level.
 * A structured clone can hold cycles (endless nesting: too deep) and shared
 * objects, so each object's height is worked out once, and the walk never
 * goes deeper than the limit (no stack overflow, whatever the value).
 */
export function inputShapeProblem(value: unknown, limit: number = MAX_JSON_DEPTH): ApiError | null {
  const heights = new Map<object, number>();
  let protoKey = false;
  /** The height of `node` reached at `depth`, or null once something lies deeper than the limit. */
  const heightOf = (node: object, depth: number): number | null => {
    const known = heights.get(node);
    // Infinity marks an object still being walked: reaching it again is a cycle.
    if (known !== undefined) return depth + known - 1 > limit ? null : known;
    if (depth > limit) return null;
    heights.set(node, Infinity);
    if (Object.prototype.hasOwnProperty.call(node, '__proto__')) protoKey = true;
    let inner = 0;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child === null || typeof child !== 'object') continue;
      const height = heightOf(child as object, depth + 1);
      if (height === null) return null;
      inner = Math.max(inner, height);
    }
    heights.set(node, inner + 1);
    return inner + 1;
  };
  if (value !== null && typeof value === 'object' && heightOf(value, 1) === null) return inputShapeErrors.tooDeep(limit);
  return protoKey ? inputShapeErrors.protoKey() : null;
}
