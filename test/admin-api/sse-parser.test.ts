import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSseParser, type ServerSentEvent } from '../../sync-engine/src/admin-api/sse-parser.js';

function parse(chunks: string[]): ServerSentEvent[] {
  const out: ServerSentEvent[] = [];
  const parser = createSseParser((e) => out.push(e));
  for (const chunk of chunks) parser.push(chunk);
  return out;
}

test('events split across chunks, with any line ending, arrive whole', () => {
  const text = ': connected\r\n\r\nevent: status.changed\r\ndata: {"a":1}\r\n\r\nevent: sync.started\rdata: {"b"\r\n\nevent: x\ndata: line one\ndata: line two\n\n';
  const whole = parse([text]);
  const split = parse(text.split(''));
  assert.deepEqual(whole, [
    { event: 'status.changed', data: '{"a":1}' },
    { event: 'sync.started', data: '{"b"' },
    { event: 'x', data: 'line one\nline two' },
  ]);
  assert.deepEqual(split, whole);
});

test('comments and heartbeats dispatch nothing; an event without data is dropped', () => {
  assert.deepEqual(parse([': heartbeat\n\n', 'event: lonely\n\n', 'retry: 10\nid: 4\n\n']), []);
});

test('a field without a space after the colon and an unnamed event are read per the spec', () => {
  assert.deepEqual(parse(['data:{"x":1}\n\n']), [{ event: 'message', data: '{"x":1}' }]);
});
