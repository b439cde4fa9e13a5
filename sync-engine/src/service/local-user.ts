import { userInfo } from 'node:os';
import { cleanUserName } from '../api/caller.js';

/** The person this process runs for: DOMAIN\name on a Windows domain, else the login name. */
export function localUserName(): string {
  try {
    const name = userInfo().username;
    const domain = process.platform === 'win32' ? process.env['USERDOMAIN'] : undefined;
    return cleanUserName(domain ? `${domain}\\${name}` : name) ?? 'local';
  } catch {
    return 'local';
  }
}
