import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../ops/redaction.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogOptions {
  /** The data folder's logs/ folder. */
  dir: string;
  /** Rotate when the current file would pass this size (default 5 MB). */
  maxBytes?: number;
  /** Files kept: agent.log plus agent.log.1 … agent.log.(maxFiles-1) (default 5). */
  maxFiles?: number;
  now?: () => number;
}

export const LOG_FILE = 'agent.log';

/**
 * Structured logs: one JSON object per line ({ time, level, event, ...fields })
 * in logs/agent.log, rotated by size. Every line goes through redact(), so no
 * secret and no unmasked personal data is ever written, whatever the caller passes.
 */
export class RotatingLog {
  private readonly file: string;
  private readonly maxBytes: number;
  private readonly maxFiles: number;
  private readonly now: () => number;
  private size: number;

  constructor(private readonly options: LogOptions) {
    mkdirSync(options.dir, { recursive: true });
    this.file = join(options.dir, LOG_FILE);
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.maxFiles = Math.max(1, options.maxFiles ?? 5);
    this.now = options.now ?? Date.now;
    this.size = existsSync(this.file) ? statSync(this.file).size : 0;
  }

  write(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
    const line = JSON.stringify({ time: new Date(this.now()).toISOString(), level, event, ...(redact(fields) as Record<string, unknown>) }) + '\n';
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    appendFileSync(this.file, line, { mode: 0o600 });
    this.size += bytes;
  }

  info(event: string, fields?: Record<string, unknown>): void {
    this.write('info', event, fields);
  }

  warn(event: string, fields?: Record<string, unknown>): void {
    this.write('warn', event, fields);
  }

  error(event: string, fields?: Record<string, unknown>): void {
    this.write('error', event, fields);
  }

  private rotate(): void {
    const oldest = `${this.file}.${this.maxFiles - 1}`;
    if (existsSync(oldest)) rmSync(oldest);
    for (let i = this.maxFiles - 2; i >= 1; i--) {
      if (existsSync(`${this.file}.${i}`)) renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    }
    if (this.maxFiles > 1) renameSync(this.file, `${this.file}.1`);
    else rmSync(this.file);
    this.size = 0;
  }
}

/** The last `limit` lines over the rotated files, oldest first. */
export function recentLogLines(dir: string, limit: number): string[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((n) => n === LOG_FILE || n.startsWith(`${LOG_FILE}.`))
    .sort((a, b) => generation(b) - generation(a));
  const lines: string[] = [];
  for (const name of files) lines.push(...readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean));
  return lines.slice(-limit);
}

function generation(name: string): number {
  return name === LOG_FILE ? 0 : Number(name.slice(LOG_FILE.length + 1)) || 0;
}
