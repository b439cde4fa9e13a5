import { isInnerList, parseDictionary, serializeDictionary, type Dictionary } from 'structured-headers';

/** Longest `Signature-Input` or `Signature` field read; ours are about 200 characters. */
const FIELD_MAX_LENGTH = 2048;

/**
 * The one signature a request carries, read from its `Signature-Input` and
 * `Signature` fields (RFC 9421 §4), with those fields re-serialized to hold it
 * alone. Whatever is checked about a signature (key id, clock, nonce, covered
 * components) must be read from the very entry that is verified: a verifier
 * handed several entries checks them all and keeps the last one's result, so
 * an attacker could put a fresh-looking entry before a captured genuine one.
 * Hence exactly one entry, under the same label in both fields.
 */
export interface SignatureEntry {
  label: string;
  keyId: string;
  created: number;
  nonce: string;
  alg: string | undefined;
  /** Covered components that carry no parameters, in order. */
  components: string[];
  /** `Signature-Input` holding this entry only. */
  signatureInput: string;
}

export interface SingleSignature extends SignatureEntry {
  /** `Signature` holding this entry only. */
  signature: string;
}

export type FieldRead<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The one entry of `Signature-Input` and its parameters, or why it is refused. */
export function readSignatureEntry(signatureInput: string | undefined): FieldRead<SignatureEntry> {
  if (!signatureInput) return refuse('missing Signature-Input');
  const inputs = parseField('Signature-Input', signatureInput);
  if (typeof inputs === 'string') return refuse(inputs);
  const [label, input] = [...inputs.entries()][0]!;
  if (!isInnerList(input)) return refuse('Signature-Input must be a list of covered components');
  const params = input[1];
  const keyId = params.get('keyid');
  const created = params.get('created');
  const nonce = params.get('nonce');
  const alg = params.get('alg');
  if (typeof keyId !== 'string' || !keyId) return refuse('the signature has no keyid');
  if (typeof created !== 'number' || !Number.isInteger(created)) return refuse('the signature has no integer created');
  if (typeof nonce !== 'string' || !nonce) return refuse('the signature has no nonce');
  if (alg !== undefined && typeof alg !== 'string') return refuse('the signature alg must be a string');
  const components = input[0].filter(([name, p]) => typeof name === 'string' && p.size === 0).map(([name]) => name as string);
  return {
    ok: true,
    value: { label, keyId, created, nonce, alg, components, signatureInput: serializeDictionary(new Map([[label, input]])) },
  };
}

/** The request's one signature: one entry in each field, under the same label. */
export function readSingleSignature(signatureInput: string | undefined, signature: string | undefined): FieldRead<SingleSignature> {
  if (!signatureInput || !signature) return refuse('missing Signature-Input or Signature');
  const entry = readSignatureEntry(signatureInput);
  if (!entry.ok) return entry;
  const signatures = parseField('Signature', signature);
  if (typeof signatures === 'string') return refuse(signatures);
  const [label, sig] = [...signatures.entries()][0]!;
  if (label !== entry.value.label) return refuse(`Signature-Input names "${entry.value.label}" but Signature names "${label}"`);
  if (isInnerList(sig) || !(sig[0] instanceof ArrayBuffer)) return refuse('Signature must be a byte sequence');
  return { ok: true, value: { ...entry.value, signature: serializeDictionary(new Map([[label, sig]])) } };
}

/** The field parsed as a dictionary of exactly one member, or why not. */
function parseField(name: string, value: string): Dictionary | string {
  if (value.length > FIELD_MAX_LENGTH) return `${name} is too long`;
  let dictionary: Dictionary;
  try {
    dictionary = parseDictionary(value);
  } catch {
    return `${name} is not a structured dictionary (RFC 8941)`;
  }
  // A repeated label is kept once by the parser (the last value wins), so members are counted in the text too.
  const members = dictionary.size === 0 ? 0 : Math.max(dictionary.size, topLevelMembers(value));
  if (members !== 1) return `${name} must hold exactly one signature; it holds ${members}`;
  return dictionary;
}

/**
 * Members of a field that already parsed as a dictionary: top-level commas plus
 * one. Commas can only hide in quoted strings (tokens, keys, numbers and base64
 * byte sequences hold none) and between an inner list's parentheses, which do
 * not nest.
 */
function topLevelMembers(value: string): number {
  let members = 1;
  let quoted = false;
  let inList = false;
  for (let i = 0; i < value.length; i += 1) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i += 1;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(') inList = true;
    else if (c === ')') inList = false;
    else if (c === ',' && !inList) members += 1;
  }
  return members;
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
