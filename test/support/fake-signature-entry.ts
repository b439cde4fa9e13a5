/**
 * A captured genuine signature with a made-up entry put before it: a fresh
 * `created`, a nonce never seen, and a junk signature (the attack a verifier
 * invites when it judges one entry and verifies another).
 */
export function fakeSignatureEntry(genuine: Record<string, string>, freshCreated: number) {
  const input = genuine['signature-input'] ?? '';
  const fakeInput = input
    .replace(/^sig1=/, 'sig0=')
    .replace(/created=\d+/, `created=${freshCreated}`)
    .replace(/nonce="[^"]*"/, `nonce="fresh-${freshCreated}"`);
  const fakeSignature = `sig0=:${Buffer.alloc(64).toString('base64')}:`;
  return { fakeInput, fakeSignature };
}

/** The genuine headers with the fake entry first in both fields, as one comma-separated value each. */
export function withFakeFirstEntry(genuine: Record<string, string>, freshCreated: number): Record<string, string> {
  const { fakeInput, fakeSignature } = fakeSignatureEntry(genuine, freshCreated);
  return {
    ...genuine,
    'signature-input': `${fakeInput}, ${genuine['signature-input'] ?? ''}`,
    signature: `${fakeSignature}, ${genuine['signature'] ?? ''}`,
  };
}
