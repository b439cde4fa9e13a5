// Compares two V8 heap snapshots (service-soak.ts with SNAPSHOTS=1 writes them) by constructor name:
//   node --import tsx test/reliability/support/heap-diff.ts before.heapsnapshot after.heapsnapshot [rows]
// Prints the names whose object count or self size grew most between the two, the way Chrome DevTools'
// Memory tab ("Comparison") sorts them; a name that grows with the runs between the snapshots is the lead.
import { readFileSync } from 'node:fs';

type Totals = Map<string, { count: number; size: number }>;

function totals(path: string): Totals {
  const snapshot = JSON.parse(readFileSync(path, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const out: Totals = new Map();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]!]!;
    const name = snapshot.strings[snapshot.nodes[i + nameAt]!]!;
    // Strings and code by their kind, not their text; objects and closures by their constructor or function name.
    const key = type === 'object' || type === 'closure' ? `${type}:${name}` : `(${type})`;
    const entry = out.get(key) ?? { count: 0, size: 0 };
    entry.count += 1;
    entry.size += snapshot.nodes[i + sizeAt]!;
    out.set(key, entry);
  }
  return out;
}

const [beforePath, afterPath, rowsArg] = process.argv.slice(2);
if (!beforePath || !afterPath) {
  console.error('usage: heap-diff.ts before.heapsnapshot after.heapsnapshot [rows]');
  process.exit(2);
}
const before = totals(beforePath);
const after = totals(afterPath);
const rows = [...new Set([...before.keys(), ...after.keys()])].map((key) => {
  const b = before.get(key) ?? { count: 0, size: 0 };
  const a = after.get(key) ?? { count: 0, size: 0 };
  return { key, count: a.count - b.count, size: a.size - b.size, total: a.count };
});
const limit = Number(rowsArg ?? 25);
const sum = (t: Totals) => [...t.values()].reduce((n, e) => n + e.size, 0);
console.log(`self size: ${(sum(before) / 1024 / 1024).toFixed(2)} MB -> ${(sum(after) / 1024 / 1024).toFixed(2)} MB`);
console.log('grew most by size:');
for (const r of rows.sort((x, y) => y.size - x.size).slice(0, limit)) console.log(`  ${String(r.size).padStart(10)} B  ${String(r.count).padStart(7)} objects (now ${r.total})  ${r.key}`);
console.log('grew most by count:');
for (const r of rows.sort((x, y) => y.count - x.count).slice(0, limit)) console.log(`  ${String(r.count).padStart(7)} objects  ${String(r.size).padStart(10)} B  ${r.key}`);
