import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ApiError } from '../api/contract.js';
import { AGENT_DB_FILE } from '../store/agent-store.js';

/**
 * Where a command's data folder came from, as the refusal names it: `--home`,
 * the EDGE_AGENT_HOME variable, or the OS user data folder (the default).
 */
export type HomeSource = 'option' | 'env' | 'default';

export function homeSourceOf(home: string | undefined, env: NodeJS.ProcessEnv): HomeSource {
  if (home !== undefined) return 'option';
  return env['EDGE_AGENT_HOME'] ? 'env' : 'default';
}

/**
 * The refusal of a command that only reads or acts on an existing agent
 * (`status`, `records`, `sync`, `doctor`…) when DATADIR holds no agent's data
 * file (the folder or its agent.sqlite is not there): opening it would make a
 * new, empty store there, as it did for a mistyped --home, and the command
 * would report an empty agent that is not enrolled. Null when the file is
 * there, or when the file system refuses the path itself (a file in the way,
 * no permission): the command then goes on and says that in its own words.
 * `agent`: the CLI as a hint spells it for this folder (agentInvocation).
 * Only the commands that set an agent up make the store: `init`, `enroll`,
 * `provision`, `network set`, `restore` and `run` (docs/cli.md).
 */
export function noAgentHere(dataDir: string, source: HomeSource, agent: string): ApiError | null {
  try {
    statSync(join(dataDir, AGENT_DB_FILE));
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return null;
  }
  const path = resolve(dataDir);
  const check = CHECK[source];
  return {
    code: 'not_found',
    messages: {
      vi: `Không có tác tử nào ở thư mục dữ liệu ${path}: ở đó không có tệp dữ liệu ${AGENT_DB_FILE} của tác tử (${check.vi}). Lệnh này không tạo gì và không thay đổi gì. Để cài đặt tác tử ở thư mục này: ${agent} provision TỆP_CẤU_HÌNH, hoặc ${agent} init rồi ${agent} enroll; để đưa lại một bản sao lưu: ${agent} restore TỆP.`,
      en: `There is no agent in the data folder ${path}: it holds no agent data file ${AGENT_DB_FILE} (${check.en}). This command made nothing and changed nothing. To set up an agent in this folder: ${agent} provision FILE, or ${agent} init then ${agent} enroll; to put back a backup: ${agent} restore FILE.`,
    },
  };
}

const CHECK: Record<HomeSource, { vi: string; en: string }> = {
  option: { vi: 'hãy kiểm tra lại --home', en: 'check --home' },
  env: { vi: 'hãy kiểm tra lại biến môi trường EDGE_AGENT_HOME, hoặc chỉ đúng thư mục bằng --home THƯ_MỤC', en: 'check the EDGE_AGENT_HOME variable, or name the right folder with --home DIR' },
  default: { vi: 'đây là thư mục mặc định; nếu tác tử dùng thư mục khác, hãy chỉ thư mục đó bằng --home THƯ_MỤC', en: 'this is the default folder; if the agent uses another, name it with --home DIR' },
};
