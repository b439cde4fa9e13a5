#!/usr/bin/env node
import { processTerminal } from './consent.js';
import { runCli } from './program.js';
import type { CliIo } from './context.js';

// A reader that went away (`… | head`) drops what it no longer reads; the command finishes (as the agent's CLI, output.ts).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

const terminal = processTerminal();

/** The `national-platform` command: process streams and signals wired to runCli. */
const io: CliIo = {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  // Only when standard input is a terminal: epoch new and purge ask there first, elsewhere they need --yes.
  ...(terminal ? { terminal } : {}),
  // A person reads stdout: tokens create explains its token there; a script reading it gets the token alone.
  outIsTerminal: process.stdout.isTTY === true,
  stopSignal: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    }),
};

process.exitCode = await runCli(process.argv.slice(2), io);
