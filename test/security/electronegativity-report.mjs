#!/usr/bin/env node
// Electron configuration scan with @doyensec/electronegativity (pinned 1.10.3 in package.json).
//
// Its CLI (`npx electronegativity -i main/ -o report.sarif`) fails to start in this tree:
// it calls commander's pre-v7 API (`program.version()` on the default export) and node
// resolves the project's commander 14. The programmatic API the CLI wraps works, so this
// script calls it, or parses a report the CLI wrote elsewhere (--from-csv / --from-sarif).
//
//   node test/security/electronegativity-report.mjs                 scan main/src (the Electron main process)
//   node test/security/electronegativity-report.mjs -i main/ -i renderer/
//   node test/security/electronegativity-report.mjs --from-sarif report.sarif
//   node test/security/electronegativity-report.mjs --from-csv report.csv
//
// Prints one line per finding and a summary, writes .tmp/security/electronegativity.json,
// and exits 1 when a finding at or above --fail-on (default MEDIUM severity, FIRM
// confidence) is not accepted in ACCEPTED below (each acceptance says why).
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SEVERITY = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };
const CONFIDENCE = { TENTATIVE: 0, FIRM: 1, CERTAIN: 2 };

/** Findings reviewed and accepted: check id (and optionally a file suffix) -> reason. */
const WINDOW_OPTIONS = 'webPreferences come from createWindowOptions() in main/src/window-options.ts (sandbox, contextIsolation, no Node), which the scanner cannot follow; test/main/window-options.test.ts asserts them';
const ACCEPTED = [
  { id: 'CONTEXT_ISOLATION_JS_CHECK', file: 'main/src/app.ts', reason: WINDOW_OPTIONS },
  { id: 'SANDBOX_JS_CHECK', file: 'main/src/app.ts', reason: WINDOW_OPTIONS },
  { id: 'AUXCLICK_JS_CHECK', file: 'main/src/app.ts', reason: "createWindowOptions() sets disableBlinkFeatures: 'Auxclick' (asserted in test/main/window-options.test.ts)" },
  { id: 'PRELOAD_JS_CHECK', file: 'main/src/app.ts', reason: 'the preload is the bundled, sandboxed main/src/preload.ts exposing two functions (test/main/preload.test.ts)' },
];

function parseArgs(argv) {
  const args = { inputs: [], fromCsv: null, fromSarif: null, failOn: 'MEDIUM', confidence: 'FIRM', electron: null };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '-i' || a === '--input') args.inputs.push(argv[++i]);
    else if (a === '--from-csv') args.fromCsv = argv[++i];
    else if (a === '--from-sarif') args.fromSarif = argv[++i];
    else if (a === '--fail-on') args.failOn = argv[++i].toUpperCase();
    else if (a === '--confidence') args.confidence = argv[++i].toUpperCase();
    else if (a === '--electron') args.electron = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  // The renderer alone trips the global checks (no main process in it): scan the Electron main side.
  if (args.inputs.length === 0) args.inputs = ['main/src'];
  return args;
}

/** The scanner's own issue objects -> { id, file, line, column, severity, confidence, description, manualReview }. */
function fromScanner(issue, input) {
  return {
    id: issue.id,
    file: relative(root, resolve(input, issue.file)),
    line: issue.location?.line ?? null,
    column: issue.location?.column ?? null,
    severity: issue.severity?.name ?? 'INFORMATIONAL',
    confidence: issue.confidence?.name ?? 'TENTATIVE',
    description: issue.description ?? '',
    manualReview: Boolean(issue.manualReview),
  };
}

/** CSV written by `electronegativity -o report.csv`: issue,file,line,column,description,severity,confidence,manualReview,... */
function fromCsv(text) {
  const rows = text.trim().split(/\r?\n/).map(splitCsvLine);
  const [head, ...body] = rows;
  const col = (name) => head.findIndex((h) => h.trim().toLowerCase() === name);
  const at = { id: col('issue'), file: col('filename'), line: col('line'), column: col('column'), severity: col('severity'), confidence: col('confidence'), description: col('description'), manual: col('manualreview') };
  return body.map((r) => ({
    id: r[at.id],
    file: r[at.file],
    line: Number(r[at.line]) || null,
    column: Number(r[at.column]) || null,
    severity: (r[at.severity] ?? 'INFORMATIONAL').toUpperCase(),
    confidence: (r[at.confidence] ?? 'TENTATIVE').toUpperCase(),
    description: r[at.description] ?? '',
    manualReview: /true/i.test(r[at.manual] ?? ''),
  }));
}

function splitCsvLine(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      cur += '"';
      i += 1;
    } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** SARIF 2.1.0 written by `electronegativity -o report.sarif`. */
function fromSarif(text) {
  const sarif = JSON.parse(text);
  return (sarif.runs ?? []).flatMap((run) => {
    const rules = new Map((run.tool?.driver?.rules ?? []).map((r) => [r.id, r]));
    return (run.results ?? []).map((r) => {
      const loc = r.locations?.[0]?.physicalLocation;
      const props = rules.get(r.ruleId)?.properties ?? {};
      return {
        id: r.ruleId,
        file: loc?.artifactLocation?.uri ?? '',
        line: loc?.region?.startLine ?? null,
        column: loc?.region?.startColumn ?? null,
        severity: String(props.severity ?? (r.level === 'error' ? 'HIGH' : r.level === 'warning' ? 'MEDIUM' : 'LOW')).toUpperCase(),
        confidence: String(props.confidence ?? 'TENTATIVE').toUpperCase(),
        description: r.message?.text ?? '',
        manualReview: Boolean(props.manualReview),
      };
    });
  });
}

async function scan(inputs, electron) {
  const require = createRequire(import.meta.url);
  const run = require('@doyensec/electronegativity');
  const findings = [];
  const errors = [];
  const electronVersion = electron ?? JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies?.electron ?? undefined;
  for (const input of inputs) {
    const abs = resolve(root, input);
    const result = await run({ input: abs, isRelative: true, electronVersionOverride: electronVersion, parserPlugins: [] });
    findings.push(...result.issues.map((i) => fromScanner(i, abs)));
    errors.push(...result.errors.filter((e) => !e.tolerable).map((e) => ({ file: relative(root, e.file), message: e.message })));
  }
  return { findings, errors };
}

const args = parseArgs(process.argv.slice(2));
let findings;
let errors = [];
if (args.fromCsv) findings = fromCsv(readFileSync(args.fromCsv, 'utf8'));
else if (args.fromSarif) findings = fromSarif(readFileSync(args.fromSarif, 'utf8'));
else ({ findings, errors } = await scan(args.inputs, args.electron));

const accepted = (f) => ACCEPTED.find((a) => a.id === f.id && (!a.file || f.file.endsWith(a.file)));
const blocking = findings.filter(
  (f) => (SEVERITY[f.severity] ?? 0) >= SEVERITY[args.failOn] && (CONFIDENCE[f.confidence] ?? 0) >= CONFIDENCE[args.confidence] && !accepted(f),
);
for (const f of findings) {
  const mark = blocking.includes(f) ? 'FAIL' : accepted(f) ? 'ok (accepted)' : 'info';
  console.log(`${mark.padEnd(13)} ${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.id} ${f.file}:${f.line ?? '?'} ${f.manualReview ? '[manual review] ' : ''}${f.description}`);
}
for (const e of errors) console.log(`parse error   ${e.file}: ${e.message}`);
const bySeverity = Object.fromEntries(Object.keys(SEVERITY).map((s) => [s, findings.filter((f) => f.severity === s).length]));
const summary = { scanned: args.fromCsv ?? args.fromSarif ?? args.inputs, findings: findings.length, bySeverity, blocking: blocking.length, parseErrors: errors.length };
console.log(`[security] electronegativity ${JSON.stringify(summary)}`);
mkdirSync(join(root, '.tmp/security'), { recursive: true });
writeFileSync(join(root, '.tmp/security/electronegativity.json'), `${JSON.stringify({ summary, findings, errors }, null, 2)}\n`);
process.exit(blocking.length > 0 || errors.length > 0 ? 1 : 0);
