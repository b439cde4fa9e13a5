import { lookup } from 'node:dns/promises';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';

/** The OS-facing steps `edge-agent doctor` takes; tests may replace any of them. */
export interface NetworkProbe {
  resolve(host: string): Promise<{ ok: true; addresses: string[] } | { ok: false; code: string }>;
  connect(host: string, port: number, timeoutMs: number): Promise<{ ok: true } | { ok: false; code: string }>;
  handshake(host: string, port: number, ca: string[] | undefined, timeoutMs: number): Promise<TlsOutcome>;
}

export interface TlsOutcome {
  ok: boolean;
  /** Node's verification error code (SELF_SIGNED_CERT_IN_CHAIN, CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID…). */
  code?: string;
  /** The leaf certificate as presented (even when not trusted). */
  subject?: string;
  issuer?: string;
  validTo?: string;
  chainLength?: number;
}

export const systemNetworkProbe: NetworkProbe = {
  async resolve(host) {
    try {
      const answers = await lookup(host, { all: true });
      return { ok: true, addresses: answers.map((a) => a.address) };
    } catch (error) {
      return { ok: false, code: (error as NodeJS.ErrnoException).code ?? 'EAI_FAIL' };
    }
  },

  connect(host, port, timeoutMs) {
    return new Promise((done) => {
      const socket = tcpConnect({ host, port });
      const finish = (result: { ok: true } | { ok: false; code: string }) => {
        socket.destroy();
        done(result);
      };
      socket.setTimeout(timeoutMs, () => finish({ ok: false, code: 'ETIMEDOUT' }));
      socket.once('connect', () => finish({ ok: true }));
      socket.once('error', (error: NodeJS.ErrnoException) => finish({ ok: false, code: error.code ?? 'ECONNFAILED' }));
    });
  },

  handshake(host, port, ca, timeoutMs) {
    return new Promise((done) => {
      // rejectUnauthorized stays true: the check reports what the agent would see.
      const socket = tlsConnect({ host, port, servername: isIp(host) ? undefined : host, rejectUnauthorized: true, ...(ca ? { ca } : {}) });
      let settled = false;
      const finish = (outcome: TlsOutcome) => {
        if (settled) return;
        settled = true;
        socket.destroy();
        done(outcome);
      };
      socket.setTimeout(timeoutMs, () => finish({ ok: false, code: 'ETIMEDOUT' }));
      socket.once('secureConnect', () => finish({ ok: true, ...describe(socket.getPeerCertificate(true)) }));
      socket.once('error', (error: NodeJS.ErrnoException) => {
        let peer: ReturnType<typeof describe> = {};
        try {
          peer = describe(socket.getPeerCertificate(true));
        } catch {
          // No certificate seen (the handshake failed earlier).
        }
        finish({ ok: false, code: error.code ?? 'ERR_TLS', ...peer });
      });
    });
  },
};

function describe(cert: PeerCertificate | undefined): Pick<TlsOutcome, 'subject' | 'issuer' | 'validTo' | 'chainLength'> {
  if (!cert || !cert.subject) return {};
  let chainLength = 1;
  let at = cert as PeerCertificate & { issuerCertificate?: PeerCertificate };
  while (at.issuerCertificate && at.issuerCertificate !== at && chainLength < 10) {
    at = at.issuerCertificate as typeof at;
    chainLength += 1;
  }
  return { subject: first(cert.subject.CN), issuer: first(cert.issuer?.CN), validTo: new Date(cert.valid_to).toISOString(), chainLength };
}

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
