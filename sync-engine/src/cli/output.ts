import type { ApiError } from '../api/contract.js';

export type Lang = 'vi' | 'en';

export interface Streams {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processStreams: Streams = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * A reader that went away (`edge-agent records list … | head`, a closed
 * terminal) is not the command's failure: what it no longer reads is dropped
 * and the command finishes its work (a sync half-way is not cut short).
 * Without this, the write's EPIPE was an unhandled 'error' event: a stack
 * trace and exit 1. Any other stream error stays fatal.
 */
export function dropOutputWhenReaderCloses(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/**
 * Everything the CLI prints goes through here. With --json, stdout carries
 * exactly one JSON document (the command's result, or `{ "error": ... }`) and
 * nothing else, so scripts can parse it; without, sentences in the chosen
 * language, and errors on stderr.
 */
export class Printer {
  constructor(
    readonly json: boolean,
    public lang: Lang,
    private readonly streams: Streams = processStreams,
  ) {}

  /**
   * How a next-step hint starts the agent's CLI: `edge-agent`, with `--home DIR`
   * when the command ran on another folder than the default one
   * (cli-session.ts agentInvocation), so a hint copied as it is acts on the same folder.
   */
  agent = 'edge-agent';

  /** A command to type next, e.g. command('conflicts list'). */
  command(args: string): string {
    return `${this.agent} ${args}`;
  }

  /** One of two texts by language. */
  t(vi: string, en: string): string {
    return this.lang === 'vi' ? vi : en;
  }

  result(value: unknown, human: () => string | string[]): void {
    if (this.json) {
      this.streams.out(JSON.stringify(value, null, 2) + '\n');
      return;
    }
    const text = human();
    this.streams.out((Array.isArray(text) ? text.join('\n') : text) + '\n');
  }

  failure(error: ApiError): void {
    if (this.json) {
      this.streams.out(JSON.stringify({ error }, null, 2) + '\n');
      return;
    }
    const lines = [error.messages[this.lang]];
    for (const field of error.fieldErrors ?? []) lines.push(`  - ${field.path || '/'}: ${field.messages[this.lang]}`);
    this.streams.err(lines.join('\n') + '\n');
  }

  /** A side remark for people (progress, hints); silent with --json. */
  note(vi: string, en: string): void {
    if (!this.json) this.streams.err(this.t(vi, en) + '\n');
  }
}

/** Columns padded to their widest cell; long cells are cut with an ellipsis. */
export function table(header: string[], rows: string[][], maxWidth = 48): string {
  const cut = (cell: string) => (cell.length > maxWidth ? `${cell.slice(0, maxWidth - 1)}…` : cell);
  const all = [header, ...rows].map((row) => row.map(cut));
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** A value as one line for tables and field lists. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An instant as people read it in the text output: dd/mm/yyyy HH:mm (24-hour)
 * in this computer's time zone, in both languages, as the window shows dates
 * and times and its forms take them (renderer/src/model/format.ts). --json
 * keeps the ISO text. Text that reads as no instant is shown as it is.
 */
export function dateTime(value: string | number): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
