// The browser-mode secret: made at each launch, handed to the browser in the printed address's
// fragment (never sent over the wire by the browser itself), presented on every API request as
// "Authorization: Bearer TOKEN". A header rather than a cookie: cookies are shared by every port of
// 127.0.0.1, so another local user's server could collect ours; page storage is per port.
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe. */
export function newAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The token a request presents, or null. */
export function presentedToken(authorization: string | undefined): string | null {
  const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(authorization ?? '');
  return m === null ? null : m[1];
}

/** Constant-time comparison, so response timing tells nothing about how much of a guess was right. */
export function tokenMatches(presented: string | null, token: string): boolean {
  if (presented === null) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The address to open: the token rides in the fragment, which browsers keep out of requests and Referer. */
export function addressWithToken(origin: string, token: string): string {
  return `${origin}/#token=${token}`;
}
