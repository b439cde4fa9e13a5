import type { Command } from 'commander';
import { networkAwareServiceOptions } from '../../ops/network-aware-client.js';
import type { CliEnvironment, GlobalOptions } from '../cli-session.js';
import { registerBackupCommands } from './backup.js';
import { registerDiagnosticsCommand } from './diagnostics.js';
import { registerDoctorCommand } from './doctor.js';
import { registerNetworkCommand } from './network.js';
import { registerProvisionCommand } from './provision.js';
import { attachRunOperations } from './run-operations.js';
import { registerServiceCommands } from './service.js';

/** The commands local IT uses: doctor, network settings, backup/restore, OS service, provisioning, diagnostics. */
export function registerOperationsCommands(program: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  registerDoctorCommand(program, env, globals, done);
  registerNetworkCommand(program, env, globals, done);
  registerBackupCommands(program, env, globals, done);
  registerServiceCommands(program, env, globals, done);
  registerProvisionCommand(program, env, globals, done);
  registerDiagnosticsCommand(program, env, globals, done);
  attachRunOperations(program, env, globals);
  // Every command's in-process service, `run` included, reaches the platform through the data folder's
  // proxy, NO_PROXY and CA settings as they are at each call (a test's own client or enroll function still wins).
  env.service = { ...networkAwareServiceOptions(), ...env.service };
}
