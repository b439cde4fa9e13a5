#!/usr/bin/env node
// The `edge-agent` command for an installed package: registers tsx (TypeScript
// sources run as they are) and starts the CLI. See docs/cli.md.
import { register } from 'tsx/esm/api';

register();
await import('../sync-engine/src/cli/main.ts');
