import assert from 'node:assert/strict';
import { LocalWriteRefused } from '../../../sync-engine/src/records/write-errors.js';

/** What the engine answers an attempt it must refuse (a write, a choice, a retry): the refusal, or the test fails. */
export async function refusal(attempt: Promise<unknown>): Promise<LocalWriteRefused> {
  const error = await attempt.then(
    () => assert.fail('it was accepted'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof LocalWriteRefused, String(error));
  return error;
}
