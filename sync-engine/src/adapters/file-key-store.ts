import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentKeyPair } from '../protocol/signing.js';
import type { KeyStore } from '../sync/ports.js';

/**
 * The agent's Ed25519 key pair as two PEM files in the data folder. The private
 * key file is created with mode 0600 (owner read/write only) and written
 * atomically (temp file + rename), so a crash never leaves half a key.
 * An OS keychain adapter can implement the same port later.
 */
export class FileKeyStore implements KeyStore {
  readonly ref: string;
  private readonly privatePath: string;
  private readonly publicPath: string;

  constructor(
    private readonly dataDir: string,
    fileName = 'agent-key.pem',
  ) {
    this.ref = `file:${fileName}`;
    this.privatePath = join(dataDir, fileName);
    this.publicPath = join(dataDir, fileName.replace(/\.pem$/, '') + '.pub.pem');
  }

  async load(): Promise<AgentKeyPair | null> {
    try {
      const [privateKeyPem, publicKeyPem] = await Promise.all([readFile(this.privatePath, 'utf8'), readFile(this.publicPath, 'utf8')]);
      return { privateKeyPem, publicKeyPem };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async save(pair: AgentKeyPair): Promise<void> {
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    await writeAtomically(this.privatePath, pair.privateKeyPem, 0o600);
    await writeAtomically(this.publicPath, pair.publicKeyPem, 0o644);
  }
}

async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode, flag: 'w' });
  // The mode given to writeFile is filtered by the umask; make it exact.
  await chmod(temp, mode);
  await rename(temp, path);
}
