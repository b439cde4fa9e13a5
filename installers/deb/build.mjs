#!/usr/bin/env node
// Builds the headless Linux package (no desktop): ndxp-edge-agent_<version>_<arch>.deb with dpkg-deb.
//   /opt/ndxp-edge-agent/            package.json, bin/edge-agent.js, sync-engine/src (run by tsx),
//                                    renderer/dist (web console; `npm run package:deb` builds it first), docs/, production node_modules + tsx
//   /usr/bin/edge-agent              wrapper: node /opt/ndxp-edge-agent/bin/edge-agent.js "$@"
//   /lib/systemd/system/ndxp-edge-agent.service   the unit `edge-agent service install` generates by default, so
//                                    install/provision use it as is and write no /etc copy that would shadow it
//   DEBIAN/{control,postinst,prerm,postrm}         user ndxp-agent, /var/lib/ndxp-edge-agent; the service is
//                                    enabled by `edge-agent provision` (or systemctl enable --now), never silently.
// Needs Node >= 20.10 on the target (Depends: nodejs). Usage (runs under tsx to read the unit generator):
//   npm run package:deb [-- --out DIR]
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PROGRAM_DATA, SERVICE_NAME, SERVICE_USER, systemdUnit } from '../../sync-engine/src/ops/service-definitions.ts';

const root = resolve(import.meta.dirname, '../..');
const at = process.argv.indexOf('--out');
const outDir = at === -1 ? join(root, 'dist', 'deb') : resolve(process.argv[at + 1] ?? '');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const arch = execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim();
const APP = '/opt/ndxp-edge-agent';

/** Every package `names` needs at run time, resolved as Node does (nearest node_modules upwards). */
function runtimeClosure(names) {
  const found = new Set();
  const lookupDirs = (fromDir) => {
    const out = [];
    for (let d = fromDir; ; d = dirname(d)) {
      if (!d.endsWith('/node_modules')) out.push(join(d, 'node_modules'));
      if (d === root || d.length < root.length) return out;
    }
  };
  const visit = (name, fromDir) => {
    for (const base of lookupDirs(fromDir)) {
      const candidate = join(base, name);
      if (!existsSync(join(candidate, 'package.json'))) continue;
      if (found.has(candidate)) return;
      found.add(candidate);
      const manifest = JSON.parse(readFileSync(join(candidate, 'package.json'), 'utf8'));
      for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(dep, candidate);
      return;
    }
    // Not found: an optional dependency for another OS (fsevents, @esbuild/win32-x64…).
  };
  for (const name of names) visit(name, root);
  return [...found];
}

/** Build leftovers nobody loads at run time (sqlite3's object files and C sources). */
const SKIP = [/\/sqlite3\/(deps|src)(\/|$)/, /\/sqlite3\/build\/Release\/(obj|obj\.target|.*\.a$)/, /\/sqlite3\/build\/(?!Release)/, /\.map$/, /\/(test|tests|__tests__)\//];

/**
 * The modes Debian policy expects of a package's entries (as dh_fixperms sets them): every directory 0755, a file
 * 0755 when anyone may run it, else 0644; dpkg-deb --root-owner-group makes them all root:root. The stage itself is
 * the archive's root entry "./" (a mkdtemp folder is 0700), and what was copied keeps the checkout's modes (its
 * umask, a private node_modules), which dpkg would give /, /usr, /opt… on the target.
 */
function debianModes(dir) {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) debianModes(path);
    else if (entry.isFile()) chmodSync(path, statSync(path).mode & 0o111 ? 0o755 : 0o644);
  }
}

const stage = mkdtempSync(join(tmpdir(), 'ndxp-deb-'));
try {
  const app = join(stage, APP.slice(1));
  mkdirSync(app, { recursive: true });
  for (const item of ['package.json', 'bin/edge-agent.js', 'sync-engine/src', 'LICENSE', 'docs/operations.md', 'docs/cli.md', 'renderer/dist']) {
    if (existsSync(join(root, item))) cpSync(join(root, item), join(app, item), { recursive: true });
  }
  const runtime = runtimeClosure([...Object.keys(pkg.dependencies), 'tsx']);
  for (const dir of runtime) {
    cpSync(dir, join(app, dir.slice(root.length + 1)), { recursive: true, filter: (src) => !SKIP.some((re) => re.test(src.slice(root.length))) && !src.slice(dir.length).includes('/node_modules/') });
  }

  mkdirSync(join(stage, 'usr/bin'), { recursive: true });
  // Resolved from the wrapper's own place, so the tree also runs where `dpkg-deb -x` put it.
  writeFileSync(join(stage, 'usr/bin/edge-agent'), `#!/bin/sh\nhere=$(dirname "$(readlink -f "$0")")\nexec node "$here/../..${APP}/bin/edge-agent.js" "$@"\n`);
  chmodSync(join(stage, 'usr/bin/edge-agent'), 0o755);
  mkdirSync(join(stage, 'lib/systemd/system'), { recursive: true });
  writeFileSync(join(stage, `lib/systemd/system/${SERVICE_NAME}.service`), systemdUnit('/usr/bin/edge-agent', PROGRAM_DATA.linux));

  const debian = join(stage, 'DEBIAN');
  mkdirSync(debian);
  const installedKb = Number(execFileSync('du', ['-sk', stage], { encoding: 'utf8' }).split('\t')[0]);
  writeFileSync(
    join(debian, 'control'),
    [
      'Package: ndxp-edge-agent',
      `Version: ${pkg.version}`,
      `Architecture: ${arch}`,
      'Maintainer: NDXP edge agent team <ndxp-edge-agent@example.gov.vn>',
      'Depends: nodejs (>= 20.10)',
      `Installed-Size: ${installedKb}`,
      'Section: net',
      'Priority: optional',
      'Description: NDXP edge agent (headless): offline cache and sync with the national platform',
      ' Headless edition of the NDXP edge agent for Linux servers: the edge-agent',
      ' command and its systemd service (ndxp-edge-agent.service). Set up with',
      ' edge-agent provision /path/to/provisioning.json.',
      '',
    ].join('\n'),
  );
  const script = (name, body) => {
    writeFileSync(join(debian, name), `#!/bin/sh\nset -e\n${body}\n`);
    chmodSync(join(debian, name), 0o755);
  };
  script(
    'postinst',
    `if [ "$1" = configure ]; then
  getent passwd ${SERVICE_USER} >/dev/null || useradd --system --home-dir ${PROGRAM_DATA.linux} --shell /usr/sbin/nologin ${SERVICE_USER}
  install -d -m 0700 -o ${SERVICE_USER} -g ${SERVICE_USER} ${PROGRAM_DATA.linux}
  # Heals a folder an older provision run as root left with root-owned files (systemd's StateDirectory= skips it).
  chown -R -h ${SERVICE_USER}:${SERVICE_USER} ${PROGRAM_DATA.linux}
  if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; systemctl try-restart ${SERVICE_NAME}.service || true; fi
fi`,
  );
  script('prerm', `if [ "$1" = remove ] && [ -d /run/systemd/system ]; then systemctl disable --now ${SERVICE_NAME}.service || true; fi`);
  script('postrm', `if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi\n# The data in ${PROGRAM_DATA.linux} is kept on purge too: it is the office's records. Remove it by hand.`);

  mkdirSync(outDir, { recursive: true });
  const deb = join(outDir, `ndxp-edge-agent_${pkg.version}_${arch}.deb`);
  debianModes(stage);
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '-z6', '--build', stage, deb], { stdio: ['ignore', 'ignore', 'inherit'] });
  console.log(`built ${deb}`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
