import { Client } from 'pg';
import { createCounty, nhsNumberFor } from '../factories';
import { startHub, type Hub } from '../support/harness';
import { IDENTITY_LOCK } from '../../src/modules/records/submit.service';
import { count, incident, submit } from './submit-support';

/**
 * Feeds that only file records on children the hub already knows hold the identity lock shared,
 * so they write side by side; anything that changes who is who (a new child, a learnt NHS
 * number, a parked item) still waits for the lock alone.
 */
describe('submitRecords: several feeds at once', () => {
  let hub: Hub;
  let holder: Client;
  let policeFeed: string;
  let healthFeed: string;
  beforeAll(async () => {
    hub = await startHub();
    await createCounty(hub);
    policeFeed = hub.token('NPOL', ['INTEGRATION'], 'npol-rms');
    healthFeed = hub.token('NHEALTH', ['INTEGRATION'], 'nhealth-pas');
    holder = new Client({ connectionString: hub.databaseUrl });
    await holder.connect();
  });
  afterAll(async () => {
    await holder.end();
    await hub.stop();
  });

  /** Holds the identity lock shared, as a batch in progress does, until `release` is called. */
  async function holdShared(): Promise<{ release: () => Promise<void> }> {
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock_shared($1)', [IDENTITY_LOCK]);
    return { release: () => holder.query('COMMIT').then(() => undefined) };
  }

  const settledWithin = <T>(promise: Promise<T>, ms: number): Promise<boolean> =>
    Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

  it('files records on known children while another batch is in progress', async () => {
    const known = await submit(hub, policeFeed, [incident('PAR-SEED-1', nhsNumberFor(7001)), incident('PAR-SEED-2', nhsNumberFor(7002))]);
    expect(known.created).toBe(2);
    const lock = await holdShared();
    try {
      const filing = submit(hub, healthFeed, [
        incident('PAR-H-1', nhsNumberFor(7001), { category: 'HEALTH_CONTACT' }),
        incident('PAR-H-2', nhsNumberFor(7002), { category: 'HEALTH_CONTACT' }),
      ]);
      expect(await settledWithin(filing, 5000)).toBe(true);
      const out = await filing;
      expect(out.results.map((r) => [r.status, r.childId])).toEqual([['CREATED', known.results[0].childId], ['CREATED', known.results[1].childId]]);
    } finally {
      await lock.release();
    }
  });

  it('waits for the lock alone before creating a child, and then creates it', async () => {
    const childrenBefore = await count(hub, 'child');
    const lock = await holdShared();
    let creating: ReturnType<typeof submit> | undefined;
    try {
      creating = submit(hub, policeFeed, [incident('PAR-NEW-1', nhsNumberFor(7101))]);
      expect(await settledWithin(creating, 1500)).toBe(false);
      expect(await count(hub, 'child')).toBe(childrenBefore);
    } finally {
      await lock.release();
    }
    const out = await creating;
    expect(out.results[0].status).toBe('CREATED');
    expect(await count(hub, 'child')).toBe(childrenBefore + 1);
  });

  it('makes one child when several feeds describe the same new child at the same moment', async () => {
    const nhs = nhsNumberFor(7201);
    const feeds = [policeFeed, healthFeed, policeFeed, healthFeed];
    const outs = await Promise.all(feeds.map((token, i) => submit(hub, token, [incident(`PAR-SAME-${i}`, nhs, { category: i % 2 ? 'HEALTH_CONTACT' : 'POLICE_INCIDENT' })])));
    const childIds = new Set(outs.map((o) => o.results[0].childId));
    expect(outs.map((o) => o.results[0].status)).toEqual(['CREATED', 'CREATED', 'CREATED', 'CREATED']);
    expect(childIds.size).toBe(1);
    const [{ n }] = await hub.sql<{ n: string }>(`SELECT count(*) AS n FROM child WHERE nhs_number = $1`, [nhs]);
    expect(Number(n)).toBe(1);
  });

  it('ends two feeds sending the same new sourceRef at once with one record and one version', async () => {
    const item = incident('PAR-DUP-1', nhsNumberFor(7002));
    const outs = await Promise.all([submit(hub, policeFeed, [item]), submit(hub, policeFeed, [item]), submit(hub, policeFeed, [item])]);
    const statuses = outs.map((o) => o.results[0].status).sort();
    expect(statuses).toEqual(['CREATED', 'UNCHANGED', 'UNCHANGED']);
    expect(new Set(outs.map((o) => o.results[0].recordId)).size).toBe(1);
    const [{ n }] = await hub.sql<{ n: string }>(
      `SELECT count(*) AS n FROM record_version v JOIN shared_record r ON r.id = v.record_id WHERE r.source_ref = 'PAR-DUP-1'`);
    expect(Number(n)).toBe(1);
  });
});
