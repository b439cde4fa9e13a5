/**
 * `npm run demo`: the whole story on one machine, in Vietnamese and English —
 * the reference platform on loopback, an agent enrolled with a one-time token,
 * offline work, national edits, an automatic merge, a conflict settled by a
 * person, and the convergence check. Exit 0 only when everything converged.
 * `npm run demo -- --serve` then leaves the agent's web console running.
 */
import { Narrator } from './demo/narrator.js';
import { runScenario } from './demo/scenario.js';
import { serveConsole } from './demo/serve.js';
import { summarize } from './demo/summary.js';
import { createWorld, disposeWorld } from './demo/world.js';

const serve = process.argv.includes('--serve');
const say = new Narrator();
say.plain('NDXP edge agent — demo / Trình diễn tác tử biên NDXP');
const world = await createWorld();
let exitCode = 1;
try {
  const facts = await runScenario(world, say);
  const verdict = await summarize(world, facts, say);
  exitCode = verdict.converged ? 0 : 1;
  if (serve) await serveConsole(world, say);
} catch (error) {
  say.plain('');
  say.plain('KẾT QUẢ: LỖI / RESULT: ERROR');
  say.plain(String((error as Error)?.stack ?? error));
} finally {
  await disposeWorld(world);
}
process.exitCode = exitCode;
