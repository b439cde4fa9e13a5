import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { commands } from '../../sync-engine/src/api/contract.js';
import { pushResponseSchema } from '../../sync-engine/src/protocol/push.js';
import { validateRecordData } from '../../sync-engine/src/protocol/validation/index.js';
import { ValidationFailed } from '../../sync-engine/src/records/write-errors.js';
import { toApiError, toFieldError } from '../../sync-engine/src/service/api-errors.js';
import { recordViewsWithErrors, toOutboxEntryView } from '../../sync-engine/src/service/record-views.js';
import { BIRTHS, validBirth } from '../datasets/fixtures.js';
import { openEngineFixture, type EngineFixture } from './support/engine-fixture.js';

// A field error that names dates (the notBefore rule's) carries them as values besides its texts, from the
// validation that makes it, across the wire and the outbox, to every AgentApi answer the window reads: the
// window writes them day/month/year, while the texts (the CLI's) keep them as stored.

const DS = 'civil-status-births';
const EARLY = { registrationDate: '2001-05-11' };
const DATES = { value: { date: '2001-05-11' }, other: { date: '2001-05-12' } };
const TEMPLATE_VI = 'Ngày đăng ký ({value}) không được sớm hơn ngày sinh ({other}).';
const MESSAGE_VI = 'Ngày đăng ký (2001-05-11) không được sớm hơn ngày sinh (2001-05-12).';

let f: EngineFixture;
beforeEach(async () => {
  f = await openEngineFixture();
});
afterEach(async () => f.close());

test('a local refusal (records.put, conflicts.resolve) and records.validate carry the dates as values, their texts as stored', () => {
  const errors = validateRecordData(BIRTHS, validBirth(EARLY));
  const [refused] = toApiError(new ValidationFailed(errors)).fieldErrors ?? [];
  assert.deepEqual([refused?.messages.vi, refused?.template?.vi, refused?.params], [MESSAGE_VI, TEMPLATE_VI, DATES]);

  const [validated] = commands['records.validate'].output.parse({ errors: errors.map(toFieldError) }).errors;
  assert.deepEqual([validated?.messages.vi, validated?.template?.vi, validated?.params], [MESSAGE_VI, TEMPLATE_VI, DATES]);
});

test("the platform's refusal keeps the dates as values through the wire and the outbox, in outbox.list and records.get", async () => {
  const { record } = await f.writes.put(DS, validBirth());
  const batch = await f.outbox.nextBatch(10);
  // What the platform answers (its checks are the same validation), read as the agent's client reads it.
  const wire = JSON.stringify({ results: [{ mutationId: batch.entries[0]!.mutationId, status: 'rejected', errors: validateRecordData(BIRTHS, validBirth(EARLY)) }] });
  await batch.complete(pushResponseSchema.parse(JSON.parse(wire)).results);

  const [held] = await f.outbox.list({ status: 'quarantined' });
  const listed = commands['outbox.list'].output.parse({ items: [toOutboxEntryView(held!, BIRTHS, { leftScope: false, nationalVersion: false, notOnPlatform: false, othersHeld: 0 })], total: 1 });
  const [reason] = listed.items[0]!.errors;
  assert.deepEqual([reason?.path, reason?.messages.vi, reason?.template?.vi, reason?.params], ['/registrationDate', MESSAGE_VI, TEMPLATE_VI, DATES]);

  const [view] = await recordViewsWithErrors(f.store.sql, [(await f.reads.get(DS, record.id))!]);
  const [shown] = commands['records.get'].output.parse(view)?.errors ?? [];
  assert.deepEqual([shown?.messages.vi, shown?.template?.vi, shown?.params], [MESSAGE_VI, TEMPLATE_VI, DATES]);
});
