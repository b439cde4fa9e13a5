#!/usr/bin/env node
// Launcher for the `national-platform` command: runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../national-platform/src/cli/main.ts');
