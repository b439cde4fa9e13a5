import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Streams } from './output.js';

/** The most a transcript keeps (its end): `run` prints for as long as the service lives. */
const KEEP_CHARS = 1_000_000;

/**
 * What a command prints, kept for `--log FILE`. A silent Windows install
 * (`setup.exe /S /PROVISION=…`) shows nobody the messages, so the file is
 * the only place IT can read why provisioning failed.
 */
export class Transcript {
  private text = '';
  readonly streams: Streams;

  constructor(through: Streams) {
    this.streams = {
      out: (t) => {
        this.record(t);
        through.out(t);
      },
      err: (t) => {
        this.record(t);
        through.err(t);
      },
    };
  }

  /** Keeps TEXT for the file only (e.g. an unexpected error, which the caller prints itself). */
  record(text: string): void {
    this.text += text;
    if (this.text.length > KEEP_CHARS) this.text = `…\n${this.text.slice(-KEEP_CHARS)}`;
  }

  /**
   * Appends one entry to FILE: when, which command (its name only: arguments
   * may hold a token or a proxy password), what it printed, how it ended.
   * Returns why the file could not be written, or null.
   */
  appendTo(file: string, command: string, ending: string, now: Date = new Date()): string | null {
    const body = this.text === '' || this.text.endsWith('\n') ? this.text : `${this.text}\n`;
    try {
      mkdirSync(dirname(resolve(file)), { recursive: true });
      appendFileSync(file, `${now.toISOString()} ${command}\n${body}${ending}\n\n`, 'utf8');
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  }
}
