/**
 * A reply body already serialised as JSON (UTF-8 bytes): the HTTP layer sends
 * it as it is instead of running JSON.stringify over it. For large answers
 * built from JSON the platform stored itself (a pull page), where parsing and
 * re-serialising would be most of the work.
 */
export class JsonBytes {
  constructor(readonly bytes: Buffer) {}
}
