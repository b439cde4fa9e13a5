import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';

/** An HTTP CONNECT proxy on loopback that keeps the first line of each plain-HTTP request sent through its tunnels. */
export async function recordingProxy(): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      client.on('data', (chunk: Buffer) => {
        const line = chunk.toString('latin1').split('\r\n')[0] ?? '';
        if (/^[A-Z]+ \/\S* HTTP\/1\.1$/.test(line)) requests.push(line.replace(/ HTTP\/1\.1$/, ''));
      });
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
