import { PlatformError } from '../services/platform-error.js';

/** How a route authenticates: not at all, by a one-time enrollment token in the body, or by signature. */
export type RouteAuth = 'none' | 'token' | 'signed';

export type RouteName = 'health' | 'enroll' | 'catalog' | 'changes' | 'mutations' | 'digest';

export interface Route {
  name: RouteName;
  method: 'GET' | 'POST';
  /** Path segments; ':name' captures one. */
  pattern: string[];
  auth: RouteAuth;
  /** 201 for creations, 200 otherwise. */
  status: number;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

const path = (p: string) => p.split('/').filter(Boolean);

/** The wire surface of SYNC-PROTOCOL.md, as data. */
export const ROUTES: readonly Route[] = [
  { name: 'health', method: 'GET', pattern: path('/v1/health'), auth: 'none', status: 200 },
  { name: 'enroll', method: 'POST', pattern: path('/v1/enrollments'), auth: 'token', status: 201 },
  { name: 'catalog', method: 'GET', pattern: path('/v1/datasets'), auth: 'signed', status: 200 },
  { name: 'changes', method: 'GET', pattern: path('/v1/datasets/:name/changes'), auth: 'signed', status: 200 },
  { name: 'digest', method: 'GET', pattern: path('/v1/datasets/:name/digest'), auth: 'signed', status: 200 },
  { name: 'mutations', method: 'POST', pattern: path('/v1/mutations'), auth: 'signed', status: 200 },
];

function matchPattern(pattern: string[], segments: string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of pattern.entries()) {
    const seg = segments[i] ?? '';
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(seg);
      } catch {
        throw new PlatformError('bad_request', 'the path is not valid percent-encoding');
      }
    } else if (part !== seg) return null;
  }
  return params;
}

/**
 * Finds the route for a method and path: `not_found` when no route has the
 * path, `method_not_allowed` (with the allowed methods) when one has it under
 * another method.
 */
export function matchRoute(method: string, pathname: string): RouteMatch {
  if (pathname.length > 2048) throw new PlatformError('not_found', 'no such endpoint');
  const segments = pathname.split('/').filter(Boolean);
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const params = matchPattern(route.pattern, segments);
    if (!params) continue;
    if (route.method === method) return { route, params };
    allowed.push(route.method);
  }
  if (allowed.length > 0) {
    throw new PlatformError('method_not_allowed', `use ${allowed.join(' or ')} on this endpoint`, { headers: { allow: allowed.join(', ') } });
  }
  throw new PlatformError('not_found', 'no such endpoint');
}
