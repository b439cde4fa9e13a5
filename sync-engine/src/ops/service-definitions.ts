/**
 * The OS service definitions `edge-agent service install` writes: a systemd
 * unit (Linux), a WinSW XML (Windows: WinSW wraps any command line as a
 * Windows service with restart-on-failure and log rotation), a launchd plist
 * (macOS). The agent's data lives in the OS program-data location.
 *
 * Each runs the agent with AGENT_NODE_OPTIONS (V8 memory settings) in NODE_OPTIONS.
 */
import { win32 } from 'node:path';
import { AGENT_NODE_OPTIONS } from './runtime-options.js';
import { unitEnvironment, unitWord } from './systemd-syntax.js';

export type ServiceOs = 'linux' | 'windows' | 'macos';

export const SERVICE_NAME = 'ndxp-edge-agent';
export const SERVICE_USER = 'ndxp-agent';
export const LAUNCHD_LABEL = 'vn.gov.ndxp.edge-agent';
/** The macOS service account (macOS system accounts start with `_`); IT creates it before installing. */
export const LAUNCHD_USER = `_${SERVICE_USER.replace(/-/g, '')}`;

export const PROGRAM_DATA: Record<ServiceOs, string> = {
  linux: '/var/lib/ndxp-edge-agent',
  windows: 'C:\\ProgramData\\NDXP Edge Agent',
  macos: '/Library/Application Support/NDXP Edge Agent',
};

/** Where the packages put the `edge-agent` command. */
export const DEFAULT_EXEC: Record<ServiceOs, string> = {
  linux: '/usr/bin/edge-agent',
  windows: 'C:\\Program Files\\NDXP Edge Agent\\resources\\edge-agent.cmd',
  macos: '/Applications/NDXP Edge Agent.app/Contents/Resources/edge-agent',
};

/**
 * The desktop .deb's `edge-agent` (electron-builder installs the app in /opt/<productName>;
 * nothing of it goes to /usr/bin/edge-agent, which only the headless .deb provides).
 */
export const LINUX_DESKTOP_EXEC = '/opt/NDXP Edge Agent/resources/edge-agent';

/** The command a service runs when none is given: on Linux whichever package is installed, the headless one first. */
export function defaultExecutable(os: ServiceOs, exists: (path: string) => boolean): string {
  if (os !== 'linux') return DEFAULT_EXEC[os];
  return [DEFAULT_EXEC.linux, LINUX_DESKTOP_EXEC].find(exists) ?? DEFAULT_EXEC.linux;
}

export interface ServiceDefinitionInput {
  os: ServiceOs;
  /** The command that starts the agent, e.g. /usr/bin/edge-agent or C:\Program Files\NDXP Edge Agent\edge-agent.cmd. */
  executable: string;
  /** Defaults to the OS program-data location. */
  dataDir?: string;
}

export interface ServiceFile {
  /** Where the file goes on the system. */
  path: string;
  /** Where it goes under --output DIR. */
  name: string;
  content: string;
  /**
   * Where an OS package ships the same definition (the headless .deb's unit). A copy in
   * `path` (/etc) would shadow it, and later package updates would never apply.
   */
  packaged?: string;
}

export function serviceFileOf(input: ServiceDefinitionInput): ServiceFile {
  const dataDir = input.dataDir ?? PROGRAM_DATA[input.os];
  switch (input.os) {
    case 'linux':
      return {
        path: `/etc/systemd/system/${SERVICE_NAME}.service`,
        name: `${SERVICE_NAME}.service`,
        content: systemdUnit(input.executable, dataDir),
        packaged: `/lib/systemd/system/${SERVICE_NAME}.service`,
      };
    case 'windows':
      return { path: `${dataDir}\\service\\${SERVICE_NAME}.xml`, name: `${SERVICE_NAME}.xml`, content: winswXml(input.executable, dataDir) };
    case 'macos':
      return { path: `/Library/LaunchDaemons/${LAUNCHD_LABEL}.plist`, name: `${LAUNCHD_LABEL}.plist`, content: launchdPlist(input.executable, dataDir) };
  }
}

/** The folders the unit's PrivateTmp=yes replaces with the service's own, empty ones: a data folder there is not the one the service sees. */
export const PRIVATE_TMP_DIRS = ['/tmp', '/var/tmp'] as const;

/**
 * The systemd unit. systemd creates and chowns a StateDirectory= (relative to
 * /var/lib) itself; any other data folder is only made writable with
 * ReadWritePaths=, and `service install` creates it and gives it to the
 * service's account. Paths are quoted as systemd.syntax(7) wants (spaces, %, $).
 */
export function systemdUnit(executable: string, dataDir: string): string {
  const stateDirectory = /^\/var\/lib\/((?:[A-Za-z0-9_.-]+\/)*[A-Za-z0-9_.-]+)$/.exec(dataDir)?.[1];
  const state = stateDirectory && !stateDirectory.split('/').some((part) => part === '.' || part === '..') ? `StateDirectory=${stateDirectory}\nStateDirectoryMode=0700\n` : '';
  // ProtectHome=yes hides /home, /root and /run/user entirely; a data folder there needs them read-only instead.
  const protectHome = /^\/(home|root|run\/user)(\/|$)/.test(dataDir) ? 'read-only' : 'yes';
  return `[Unit]
Description=NDXP edge agent (offline cache and sync with the national platform)
Documentation=file:///opt/ndxp-edge-agent/docs/operations.md
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
User=${SERVICE_USER}
Group=${SERVICE_USER}
${unitEnvironment('EDGE_AGENT_HOME', dataDir)}
${unitEnvironment('NODE_OPTIONS', AGENT_NODE_OPTIONS)}
ExecStart=${[executable, '--home', dataDir, 'run'].map((word) => unitWord(word, { dollar: true })).join(' ')}
Restart=on-failure
RestartSec=10
TimeoutStopSec=30
UMask=0077
${state}ReadWritePaths=${unitWord(dataDir)}
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=${protectHome}
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
CapabilityBoundingSet=
SystemCallArchitectures=native

[Install]
WantedBy=multi-user.target
`;
}

/**
 * The WinSW release the Windows packages ship (installers/winsw/winsw.json pins 2.12.0): the XML
 * below uses its 2.x syntax (`<domain>`/`<user>`; 3.x reads `<username>`), and the wrapper runs as
 * ndxp-edge-agent.exe beside ndxp-edge-agent.xml, which is how 2.x finds its configuration.
 */
export const WINSW_FILE = 'WinSW-x64.exe';

/** Where the package puts WinSW: beside the edge-agent command, in the app's resources folder. */
export function winswSourceOf(executable: string): string {
  return win32.join(win32.dirname(executable), WINSW_FILE);
}

/** The service's own copy of WinSW, beside its XML. */
export function winswPathOf(file: ServiceFile): string {
  return file.path.replace(/\.xml$/, '.exe');
}

/** Well-known SIDs, not names: account names are translated on some Windows languages (LocalService, Users). */
const SID = { localService: '*S-1-5-19', system: '*S-1-5-18', administrators: '*S-1-5-32-544', users: '*S-1-5-32-545' };

/**
 * The folder permissions the Windows service needs, as icacls commands. The elevated installer
 * creates the database and key, and ProgramData's default permissions let LocalService read
 * them but not change them: it gets Modify on the data folder. The service folder holds the
 * wrapper administrators run later (upgrade, status), so only Administrators and SYSTEM may
 * change it; were it writable by LocalService, the service could plant a program an
 * administrator then runs.
 */
export function windowsAclCommands(dataDir: string, serviceDir: string): string[][] {
  return [
    ['icacls', dataDir, '/grant', `${SID.localService}:(OI)(CI)M`],
    ['icacls', serviceDir, '/inheritance:r', '/grant:r', `${SID.administrators}:(OI)(CI)F`, `${SID.system}:(OI)(CI)F`, `${SID.localService}:(OI)(CI)RX`, `${SID.users}:(OI)(CI)RX`],
  ];
}

export function winswXml(executable: string, dataDir: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- WinSW 2.x service definition: ${SERVICE_NAME}.exe (WinSW) beside this file; ${SERVICE_NAME}.exe install (as Administrator). -->
<service>
  <id>${SERVICE_NAME}</id>
  <name>NDXP Edge Agent</name>
  <description>NDXP edge agent: offline cache and sync with the national platform.</description>
  <executable>${xml(executable)}</executable>
  <arguments>--home "${xml(dataDir)}" run</arguments>
  <env name="EDGE_AGENT_HOME" value="${xml(dataDir)}"/>
  <env name="NODE_OPTIONS" value="${xml(AGENT_NODE_OPTIONS)}"/>
  <startmode>Automatic</startmode>
  <delayedAutoStart>true</delayedAutoStart>
  <serviceaccount><domain>NT AUTHORITY</domain><user>LocalService</user></serviceaccount>
  <onfailure action="restart" delay="10 sec"/>
  <onfailure action="restart" delay="60 sec"/>
  <resetfailure>1 hour</resetfailure>
  <stoptimeout>30 sec</stoptimeout>
  <logpath>${xml(dataDir)}\\logs</logpath>
  <log mode="roll-by-size"><sizeThreshold>10240</sizeThreshold><keepFiles>5</keepFiles></log>
</service>
`;
}

export function launchdPlist(executable: string, dataDir: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>${LAUNCHD_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
    <string>${xml(executable)}</string>
    <string>--home</string>
    <string>${xml(dataDir)}</string>
    <string>run</string>
  </array>
  <key>EnvironmentVariables</key><dict><key>EDGE_AGENT_HOME</key><string>${xml(dataDir)}</string><key>NODE_OPTIONS</key><string>${xml(AGENT_NODE_OPTIONS)}</string></dict>
  <key>UserName</key><string>${LAUNCHD_USER}</string>
  <key>RunAtLoad</key><true/>
  <key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>
  <key>ThrottleInterval</key><integer>10</integer>
  <key>Umask</key><integer>63</integer>
  <key>StandardOutPath</key><string>${xml(dataDir)}/logs/launchd.out.log</string>
  <key>StandardErrorPath</key><string>${xml(dataDir)}/logs/launchd.err.log</string>
</dict>
</plist>
`;
}

/**
 * The commands that register, start, stop and query the service, per OS (run by the installer's runner).
 * The data folder is given to the service's account before it starts: files made there as root
 * (by `provision`, an earlier `restore`…) would otherwise be out of its reach.
 */
export function serviceCommands(os: ServiceOs, file: ServiceFile, dataDir: string = PROGRAM_DATA[os]): { install: string[][]; uninstall: string[][]; status: string[] } {
  switch (os) {
    case 'linux':
      return {
        install: [
          ['useradd', '--system', '--home-dir', PROGRAM_DATA.linux, '--shell', '/usr/sbin/nologin', SERVICE_USER],
          ['chown', '-R', '-h', `${SERVICE_USER}:${SERVICE_USER}`, dataDir],
          ['systemctl', 'daemon-reload'],
          ['systemctl', 'enable', '--now', `${SERVICE_NAME}.service`],
        ],
        uninstall: [['systemctl', 'disable', '--now', `${SERVICE_NAME}.service`], ['systemctl', 'daemon-reload']],
        status: ['systemctl', 'is-active', `${SERVICE_NAME}.service`],
      };
    case 'windows': {
      // WinSW 2.x: `stop` returns before the service has stopped, `stopwait` waits (its files are then free).
      const winsw = winswPathOf(file);
      return { install: [[winsw, 'install'], [winsw, 'start']], uninstall: [[winsw, 'stopwait'], [winsw, 'uninstall']], status: [winsw, 'status'] };
    }
    case 'macos':
      // `bootout` first (its failure when nothing is loaded is expected): bootstrap refuses a loaded job, so installing again would fail.
      return {
        install: [['chown', '-R', '-h', LAUNCHD_USER, dataDir], ['launchctl', 'bootout', `system/${LAUNCHD_LABEL}`], ['launchctl', 'bootstrap', 'system', file.path]],
        uninstall: [['launchctl', 'bootout', `system/${LAUNCHD_LABEL}`]],
        status: ['launchctl', 'print', `system/${LAUNCHD_LABEL}`],
      };
  }
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function currentOs(platform: NodeJS.Platform = process.platform): ServiceOs {
  return platform === 'win32' ? 'windows' : platform === 'darwin' ? 'macos' : 'linux';
}
