import { badField } from '../server/errors';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

export interface PageArgs {
  readonly first?: number | null;
  readonly after?: string | null;
}

export interface Page<T> {
  readonly nodes: T[];
  readonly totalCount: number;
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
  /** The cursor of the node at this index, made only when asked for: most queries never select one. */
  readonly cursorAt: (index: number) => string;
}

/** Relay edges whose cursors are made only if the query selects them. */
export function edgesOf<T, N>(page: Pick<Page<T>, 'nodes' | 'cursorAt'>, toNode: (item: T) => N): Array<{ readonly node: N; readonly cursor: string }> {
  return page.nodes.map((item, index) => ({
    node: toNode(item),
    get cursor() {
      return page.cursorAt(index);
    },
  }));
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badField('first', `must be from 1 to ${MAX_PAGE}`);
  return first;
}

/** Opaque keyset cursor: the sort key of the last item seen. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): (string | number)[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.every((k) => typeof k === 'string' || typeof k === 'number')) return key as (string | number)[];
  } catch {
    // fall through to the error below
  }
  throw badField('after', 'is not a cursor this API issued');
}

/**
 * Pages an already-sorted, already-filtered list by keyset: the page starts after the item whose
 * key equals the cursor's (or, if that item has gone, after where it would sort), so entries
 * arriving meanwhile neither repeat nor vanish from later pages.
 */
export function pageByKey<T>(
  items: readonly T[],
  keyOf: (item: T) => readonly (string | number)[],
  compare: (a: readonly (string | number)[], b: readonly (string | number)[]) => number,
  args: PageArgs,
): Page<T> {
  const size = pageSize(args.first);
  let start = 0;
  if (args.after) {
    const after = decodeCursor(args.after);
    start = items.findIndex((item) => compare(keyOf(item), after) > 0);
    if (start < 0) start = items.length;
  }
  const nodes = items.slice(start, start + size);
  const cursorAt = (index: number): string => encodeCursor(keyOf(nodes[index]));
  return {
    nodes,
    totalCount: items.length,
    hasNextPage: start + size < items.length,
    endCursor: nodes.length > 0 ? cursorAt(nodes.length - 1) : null,
    cursorAt,
  };
}

/**
 * Pages a list whose order has no stable key (search results by relevance): the cursor is the
 * position after the last item seen, checked so a forged one is a clear input error.
 */
export function pageByPosition<T>(items: readonly T[], args: PageArgs): Page<T> {
  const size = pageSize(args.first);
  let start = 0;
  if (args.after) {
    const [position] = decodeCursor(args.after);
    if (typeof position !== 'number' || !Number.isInteger(position) || position < 0) throw badField('after', 'is not a cursor this API issued');
    start = position;
  }
  const nodes = items.slice(start, start + size);
  const cursorAt = (index: number): string => encodeCursor([start + index + 1]);
  return {
    nodes,
    totalCount: items.length,
    hasNextPage: start + size < items.length,
    endCursor: nodes.length > 0 ? cursorAt(nodes.length - 1) : null,
    cursorAt,
  };
}

/** Newest first, then id descending: the order of records and chronology entries. */
export function newestFirst(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  const [ta, ia] = a;
  const [tb, ib] = b;
  if (ta !== tb) return ta > tb ? -1 : 1;
  if (ia === ib) return 0;
  return ia > ib ? -1 : 1;
}
