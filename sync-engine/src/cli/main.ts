#!/usr/bin/env node
import { dropOutputWhenReaderCloses, processStreams } from './output.js';
import { runCli } from './program.js';

// The `edge-agent` command: wiring only; see program.ts and commands/.
dropOutputWhenReaderCloses(process.stdout);
dropOutputWhenReaderCloses(process.stderr);
process.exitCode = await runCli(process.argv, { env: process.env, streams: processStreams });
