import type { ProofCheck } from '../services/proof.js';
import type { Localized } from './language.js';

/** A proof check that could not show the signature. */
export type FailedProof = Extract<ProofCheck, { status: 'invalid' | 'unverifiable' }>;

/**
 * Why `messages verify` could not show a change's signature, in both
 * languages: the Vietnamese by the check's reasonCode (services/proof.ts),
 * the English the check's own sentence, unchanged.
 */
export function proofReason(check: FailedProof): Localized {
  return { vi: reasonVi(check), en: check.reason };
}

function reasonVi(check: FailedProof): string {
  switch (check.reasonCode) {
    case 'not_kept':
      return 'được ghi nhận trước khi nền tảng giữ nguyên vẹn các yêu cầu gửi lên: không có địa chỉ đích hay nội dung để kiểm tra';
    case 'request_missing':
      return `không còn yêu cầu ${check.requestId} mà bản ghi nhận nêu`;
    case 'agent_unknown':
      return `không có tác tử ${check.agentId}`;
    case 'signed_by_other':
      return `được ký bởi ${check.keyId}, nhưng ghi nhận là của ${check.agentId}`;
    case 'not_in_body':
      return 'nội dung đã ký không chứa thay đổi này ở vị trí đã ghi nhận';
    case 'bad_signature':
      return signatureVi(check.reason);
  }
}

/**
 * The signature check's sentences (protocol/signing.ts verifyRequest), by
 * their English words; one not known here is a signature whose fields do not
 * read (protocol/signature-fields.ts), said with its English detail.
 */
const SIGNATURE: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^signature does not verify$/, () => 'chữ ký không khớp với khóa công khai của tác tử'],
  [/^Content-Digest does not match the body$/, () => 'Content-Digest không khớp với nội dung của yêu cầu'],
  [/^agent key unusable$/, () => 'khóa công khai của tác tử không dùng được'],
  [/^alg must be ed25519$/, () => 'thuật toán của chữ ký phải là ed25519'],
  [/^signature must cover (.+)$/s, (m) => `chữ ký phải bao gồm ${m[1]}`],
];

function signatureVi(reason: string): string {
  for (const [pattern, vi] of SIGNATURE) {
    const m = pattern.exec(reason);
    if (m) return vi(m);
  }
  return `không đọc được chữ ký: ${reason}`;
}
