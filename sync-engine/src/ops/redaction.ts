/**
 * What must never reach a log line or a diagnostics bundle: secrets (tokens,
 * passwords, keys, signatures) and personal data (12-digit personal ID
 * numbers; the fields the dataset schemas mark as a person's name).
 */

/** Fields whose values are secrets: removed whole. */
const SECRET_KEYS = /^(token|enrollmentToken|adminToken|password|passphrase|secret|privateKey|privateKeyPem|key|authorization|proxyAuthorization|signature|cookie)$/i;
/** Fields the dataset schemas mark as a person's name: masked. */
export const NAME_FIELDS = new Set(['fullName', 'fatherName', 'motherName', 'applicantName', 'ownerName', 'registrar', 'handler']);

export const REMOVED = '[removed]';

/** A person's name as initials: "Nguyễn Văn An" -> "N. V. A.". */
export function maskName(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => `${Array.from(part)[0] ?? ''}.`)
    .join(' ');
}

/** Strings: 12-digit IDs, PEM blocks, bearer/Signature values and URL passwords are masked. */
export function redactText(text: string): string {
  return text
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[private key removed]')
    .replace(/(?<!\d)\d{12}(?!\d)/g, (id) => `**********${id.slice(-2)}`)
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [removed]')
    .replace(/\b(sig\d*=:)[A-Za-z0-9+/=]+:/g, '$1[removed]:')
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]*@/gi, '$1***@');
}

/** A deep copy of `value` with every secret removed and personal data masked. */
export function redact(value: unknown, key?: string): unknown {
  if (key !== undefined && SECRET_KEYS.test(key)) return value === null || value === undefined ? value : REMOVED;
  if (typeof value === 'string') return key !== undefined && NAME_FIELDS.has(key) ? maskName(value) : redactText(value);
  if (typeof value === 'number' && /^\d{12}$/.test(String(value))) return redactText(String(value));
  if (Array.isArray(value)) return value.map((item) => redact(item));
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redact(v, k);
    return out;
  }
  return value;
}
