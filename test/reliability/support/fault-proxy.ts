import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';


/** Every fault the proxy can inject, one request at a time. */
export type FaultKind =
  /** The connection is reset before the request reaches the platform. */
  | 'reset-before'
  /** The platform handles the request, then the connection is reset without an answer. */
  | 'reset-after'
  /** The platform handles the request; the answer is cut in the middle of its body. */
  | 'cut-body'
  /** The request waits before it is forwarded. */
  | 'delay'
  /** A burst of 502/503/504 answers from a "gateway", the platform never sees them. */
  | 'server-error'
  /** 429 with Retry-After, the platform never sees it. */
  | 'too-many'
  /** The same request bytes are forwarded twice; the client gets the first answer. */
  | 'duplicate'
  /** Refused while a partition lasts. */
  | 'partition';

/** Probability per request of each fault (the rest pass through). */
export type FaultRates = Partial<Record<Exclude<FaultKind, 'partition'>, number>>;

export interface FaultProxyOptions {
  /** Where the platform listens, e.g. http://127.0.0.1:40123. */
  target: string;
  random: () => number;
  rates?: FaultRates;
  /** A server-error fault answers this many requests in a row (default 3). */
  burstLength?: number;
  /** Longest injected delay in ms (default 150). */
  maxDelayMs?: number;
}

export interface ProxyStats {
  requests: number;
  forwarded: number;
  faults: Record<FaultKind, number>;
  /** What the platform answered to the second copy of duplicated requests (e.g. 401 replayed). */
  duplicateAnswers: number[];
}

/**
 * A fault-injecting HTTP proxy on loopback between agents and the platform.
 * It keeps the request's own Host header, so signatures (which cover the
 * target URI the agent saw) still verify on the platform behind it. Faults
 * are drawn from a seeded PRNG: a failing seed replays the same faults.
 */
export class FaultProxy {
  url = '';
  rates: FaultRates;
  partitioned = false;
  /** Called as a request is forwarded (e.g. to stop the platform while a push is in flight). */
  onForward: ((method: string, path: string, body: Buffer) => void) | null = null;
  readonly stats: ProxyStats = {
    requests: 0,
    forwarded: 0,
    faults: { 'reset-before': 0, 'reset-after': 0, 'cut-body': 0, delay: 0, 'server-error': 0, 'too-many': 0, duplicate: 0, partition: 0 },
    duplicateAnswers: [],
  };
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private burstLeft = 0;
  private target: URL;

  constructor(private readonly options: FaultProxyOptions) {
    this.rates = { ...options.rates };
    this.target = new URL(options.target);
  }

  /** Points the proxy at another platform address (a restarted platform on a new port). */
  retarget(target: string): void {
    this.target = new URL(target);
  }

  /** Everything passes from now on (healing). */
  heal(): void {
    this.rates = {};
    this.partitioned = false;
    this.burstLeft = 0;
  }

  get faultsInjected(): number {
    return Object.values(this.stats.faults).reduce((a, b) => a + b, 0);
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private draw(): FaultKind | null {
    if (this.partitioned) return 'partition';
    if (this.burstLeft > 0) {
      this.burstLeft -= 1;
      return 'server-error';
    }
    let r = this.options.random();
    for (const [kind, rate] of Object.entries(this.rates) as Array<[FaultKind, number]>) {
      if (r < rate) {
        if (kind === 'server-error') this.burstLeft = Math.max(0, (this.options.burstLength ?? 3) - 1);
        return kind;
      }
      r -= rate;
    }
    return null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.stats.requests += 1;
    const body = await readAll(req).catch(() => null);
    if (body === null) return;
    // Health is the agent's probe; faults there are covered by partitions only.
    const fault = req.url === '/v1/health' && !this.partitioned ? null : this.draw();
    if (fault) this.stats.faults[fault] += 1;
    switch (fault) {
      case 'partition':
      case 'reset-before':
        req.socket.destroy();
        return;
      case 'server-error': {
        const status = [502, 503, 504][Math.floor(this.options.random() * 3)]!;
        sendJson(res, status, { error: 'bad_gateway', message: 'injected gateway failure' }, status === 503 ? { 'retry-after': '1' } : {});
        return;
      }
      case 'too-many':
        sendJson(res, 429, { error: 'rate_limited', message: 'injected rate limit' }, { 'retry-after': '1' });
        return;
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, 10 + Math.floor(this.options.random() * (this.options.maxDelayMs ?? 150))));
        break;
      default:
        break;
    }
    let answer: Upstream;
    try {
      answer = await this.forward(req, body);
      if (fault === 'duplicate') {
        const second = await this.forward(req, body);
        this.stats.duplicateAnswers.push(second.status);
      }
    } catch {
      req.socket.destroy();
      return;
    }
    if (fault === 'reset-after') {
      req.socket.destroy();
      return;
    }
    const headers = { ...answer.headers };
    delete headers['transfer-encoding'];
    delete headers['connection'];
    delete headers['keep-alive'];
    headers['content-length'] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    if (fault === 'cut-body' && answer.body.length > 1) {
      res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)), () => req.socket.destroy());
      return;
    }
    res.end(answer.body);
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<Upstream> {
    this.stats.forwarded += 1;
    this.onForward?.(req.method ?? 'GET', req.url ?? '/', body);
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(
        { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: { ...req.headers, connection: 'close' } },
        (answer) => {
          readAll(answer).then((bytes) => resolve({ status: answer.statusCode ?? 502, headers: { ...answer.headers }, body: bytes }), reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }
}

interface Upstream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(bytes.length), date: new Date().toUTCString(), ...headers });
  res.end(bytes);
}
