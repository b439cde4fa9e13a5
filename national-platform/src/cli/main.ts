#!/usr/bin/env node
import { runCli } from './program.js';
import type { CliIo } from './context.js';

/** The `national-platform` command: process streams and signals wired to runCli. */
const io: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  stopSignal: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    }),
};

process.exitCode = await runCli(process.argv.slice(2), io);
