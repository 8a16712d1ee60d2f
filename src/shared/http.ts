import type { Request } from 'express';

/** JSON for API calls and clients that prefer it; HTML for browsers. */
export function wantsJson(req: Request): boolean {
  if (req.path.startsWith('/api/') || req.originalUrl.startsWith('/api/')) return true;
  return req.accepts(['html', 'json']) === 'json';
}

/** A local redirect target only (no open redirects). */
export function safeNext(next: unknown, fallback = '/'): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : fallback;
}
