import type { RequestContext } from './context';

/**
 * Names one kind of per-request value (usually a DataLoader). The type parameter ties the key to
 * what its factory makes, so a lookup cannot come back as another kind's value.
 */
export interface PerRequestKey<T> {
  readonly name: string;
  /** Never set: carries T for the type checker only. */
  readonly value?: T;
}

export function perRequestKey<T>(name: string): PerRequestKey<T> {
  return { name };
}

// Held against the request's context, which lives exactly as long as the request: the graphql
// DataLoader guidance is one cache per request, never one shared between users.
const values = new WeakMap<RequestContext, Map<PerRequestKey<unknown>, unknown>>();

/** The request's value for this key, made by the factory on first use within the request. */
export function perRequest<T>(ctx: RequestContext, key: PerRequestKey<T>, factory: () => T): T {
  let ofRequest = values.get(ctx);
  if (!ofRequest) {
    ofRequest = new Map();
    values.set(ctx, ofRequest);
  }
  if (!ofRequest.has(key)) ofRequest.set(key, factory());
  return ofRequest.get(key) as T;
}
