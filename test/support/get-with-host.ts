import { request } from 'node:http';

/**
 * A GET through node:http with a Host header of our choosing, as a reverse proxy
 * would forward it: the signed target URI then does not depend on the port.
 * A header given as an array is sent as that many lines.
 */
export function getWithHost(port: number, path: string, headers: Record<string, string | string[]>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
