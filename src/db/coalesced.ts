import type { EntityManager } from 'typeorm';
import { OneAtATime } from './one-at-a-time';
import { HubDataSource, runPrepared, type PreparedStatement } from './prepared';

/** A row of a coalesced statement: `n` is the 1-based position of the input it answers. */
export interface NumberedRow {
  n: number;
}

interface Call<Row> {
  readonly columns: readonly (readonly unknown[])[];
  readonly length: number;
  readonly resolve: (rows: Row[]) => void;
  readonly reject: (error: unknown) => void;
}

// One statement carries at most this many inputs; a single call larger than that runs alone.
const MAX_INPUTS = 2000;

/**
 * A read-only prepared statement over column arrays, written as
 * `unnest($1, $2, ...) WITH ORDINALITY AS u(..., n)` and returning each row's `n` as an int.
 *
 * Calls made outside a transaction in the same turn of the event loop (in practice, by
 * different requests being served at once) run as one statement: their columns are laid end
 * to end and each call gets back the rows of its own inputs, numbered from 1 as if it had run
 * alone. On a small host a statement's round trip (waking the database and being woken by its
 * answer) costs more than its work, so under load this saves most of them.
 *
 * One run of each kind is under way at a time per DataSource (group commit, as for the audit):
 * calls made while it runs wait for it and then go together in the next. A run is one statement
 * per `MAX_INPUTS` inputs, or, after a refusal, one per call. A lone call on an idle hub goes at
 * once; under load, statements grow instead of multiplying, and each costs the database far less
 * per input than its own statement would.
 *
 * Nothing is cached and no caller sees another's rows. If a joint statement fails, each call
 * is run again on its own, so one request's bad input cannot fail another's. Inside a
 * transaction the statement runs at once on the transaction's connection.
 */
export class CoalescedStatement<Row extends NumberedRow> {
  private readonly runs = new WeakMap<HubDataSource, OneAtATime<Call<Row>>>();

  constructor(readonly statement: PreparedStatement) {}

  run(manager: EntityManager, columns: readonly (readonly unknown[])[]): Promise<Row[]> {
    const dataSource = manager.connection;
    const length = columns[0]?.length ?? 0;
    if (columns.some((column) => column.length !== length)) throw new Error('the columns of a coalesced statement differ in length');
    if (length === 0) return Promise.resolve([]);
    if (manager.queryRunner || !(dataSource instanceof HubDataSource)) return this.runAlone(manager, columns);
    const runs = this.runsOf(dataSource);
    return new Promise<Row[]>((resolve, reject) => runs.add({ columns, length, resolve, reject }));
  }

  private runsOf(dataSource: HubDataSource): OneAtATime<Call<Row>> {
    let runs = this.runs.get(dataSource);
    if (!runs) {
      // flush settles every call itself; `failed` is for a fault in the splitting, not the database.
      runs = new OneAtATime<Call<Row>>(
        (calls) => this.flush(dataSource.manager, calls),
        (calls, error) => calls.forEach((call) => call.reject(error)),
        { deferStart: true },
      );
      this.runs.set(dataSource, runs);
    }
    return runs;
  }

  private async runAlone(manager: EntityManager, columns: readonly (readonly unknown[])[]): Promise<Row[]> {
    return runPrepared<Row>(manager, this.statement, columns);
  }

  private async flush(manager: EntityManager, calls: readonly Call<Row>[]): Promise<void> {
    const groups: Call<Row>[][] = [];
    let inputs = Infinity;
    for (const call of calls) {
      if (inputs + call.length > MAX_INPUTS) {
        groups.push([]);
        inputs = 0;
      }
      groups[groups.length - 1].push(call);
      inputs += call.length;
    }
    await Promise.all(groups.map((group) => this.runGroup(manager, group)));
  }

  private async runGroup(manager: EntityManager, calls: readonly Call<Row>[]): Promise<void> {
    if (calls.length === 1) {
      const [call] = calls;
      await this.runAlone(manager, call.columns).then(call.resolve, call.reject);
      return;
    }
    const columns = calls[0].columns.map((_, i) => calls.flatMap((call) => call.columns[i]));
    let rows: Row[];
    try {
      rows = await this.runAlone(manager, columns);
    } catch {
      // Each on its own: a call whose inputs the statement refuses fails, and only that call.
      await Promise.all(calls.map((call) => this.runAlone(manager, call.columns).then(call.resolve, call.reject)));
      return;
    }
    const ends: number[] = [];
    let end = 0;
    for (const call of calls) ends.push((end += call.length));
    const answers: Row[][] = calls.map(() => []);
    for (const row of rows) {
      const index = callOf(ends, row.n);
      if (index > 0) row.n -= ends[index - 1];
      answers[index].push(row);
    }
    calls.forEach((call, i) => call.resolve(answers[i]));
  }
}

/** The call whose inputs include position `n`, given each call's last position in order. */
function callOf(ends: readonly number[], n: number): number {
  let low = 0;
  let high = ends.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (n > ends[middle]) low = middle + 1;
    else high = middle;
  }
  return low;
}
