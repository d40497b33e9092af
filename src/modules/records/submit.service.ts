import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../../logger';
import type { AuditActor, AuditEntry, AuditWriter } from '../audit/audit-writer';
import { identifyChildren, IdentityChangeNeedsExclusiveLock, type IdentifyRequest, type SubmitterRights } from '../matching/identify';
import { closeEntries, lockOpenEntries, parkItems, type Parking } from '../matching/match-queue-store';
import { failed, settled, type ItemOutcome } from './submit-outcome';
import { validateItem, type RecordSubmission, type ValidItem } from './submit-validate';
import { fileRecords, HeadAppeared, lockHeads, type Filing } from './submit-write';

/**
 * Changes to child identity (new children, identifiers, merges, filing parked records) take this
 * lock exclusively, so two agencies describing the same new child at once make one child, not
 * two. A batch that only files records on children as they stand holds it shared, so several
 * feeds can write at once; it is run again exclusively if it turns out to change identity.
 */
export const IDENTITY_LOCK = 7_340_002;

/** A new record head already written by a concurrent batch: only the exclusive lock rules that out. */
class RecordHeadRace extends Error {}

export interface SubmitDeps {
  readonly dataSource: DataSource;
  readonly auditWriter: AuditWriter;
  readonly logger: Logger;
}

/**
 * Files a batch of records for the caller's agency. Each item is its own unit: one bad item is
 * reported FAILED and the rest are written. Everything acknowledged is committed before this
 * returns. The work is set-based: a constant number of statements however many items; only when
 * that transaction fails unexpectedly are items retried one by one, each in its own savepoint,
 * so that the item at fault fails alone. `rights` says which existing children the submitter may
 * have records filed on (an item about any other waits in the match queue) and whether it makes
 * new children.
 */
export async function submitBatch(
  deps: SubmitDeps, actor: AuditActor, agencyId: string, inputs: readonly RecordSubmission[], now: Date, rights: SubmitterRights,
): Promise<ItemOutcome[]> {
  const outcomes: Array<ItemOutcome | undefined> = new Array(inputs.length);
  const firstBySourceRef = new Map<string, ValidItem>();
  const repeats: ValidItem[] = [];
  inputs.forEach((input, index) => {
    const checked = validateItem(input, index, now);
    if (!checked.ok) {
      outcomes[index] = failed(index, input.sourceRef ?? null, checked.errors);
      return;
    }
    const first = firstBySourceRef.get(checked.item.sourceRef);
    if (!first) firstBySourceRef.set(checked.item.sourceRef, checked.item);
    else if (first.contentHash === checked.item.contentHash) repeats.push(checked.item);
    else {
      outcomes[index] = failed(index, checked.item.sourceRef, [{
        field: `records[${index}].sourceRef`, code: 'DUPLICATE_SOURCE_REF',
        message: `records[${first.index}] already carries different content for this sourceRef; send this version in a later batch`,
      }]);
    }
  });

  const items = [...firstBySourceRef.values()];
  for (const outcome of await writeIsolatingFailures(deps, actor, agencyId, items, rights)) outcomes[outcome.index] = outcome;
  // A repeat of an item earlier in the same batch shares its fate; nothing more is written.
  for (const repeat of repeats) {
    const first = outcomes[firstBySourceRef.get(repeat.sourceRef)?.index ?? -1];
    if (!first) continue;
    outcomes[repeat.index] = { ...first, index: repeat.index, status: first.status === 'FAILED' || first.status === 'PENDING_MATCH' ? first.status : 'UNCHANGED' };
  }
  return outcomes.map((o, index) => o ?? failed(index, inputs[index].sourceRef ?? null, [{ field: `records[${index}]`, code: 'NOT_PROCESSED', message: 'not processed' }]));
}

async function writeIsolatingFailures(deps: SubmitDeps, actor: AuditActor, agencyId: string, items: readonly ValidItem[], rights: SubmitterRights): Promise<ItemOutcome[]> {
  if (items.length === 0) return [];
  const attempt = (lockMode: 'SHARED' | 'EXCLUSIVE') =>
    deps.dataSource.transaction('READ COMMITTED', (manager) => writeItems(manager, deps.auditWriter, actor, agencyId, items, rights, lockMode));
  try {
    try {
      return await attempt('SHARED');
    } catch (error) {
      if (!(error instanceof IdentityChangeNeedsExclusiveLock || error instanceof RecordHeadRace)) throw error;
    }
    return await attempt('EXCLUSIVE');
  } catch (error) {
    deps.logger.warn({ err: error, requestId: actor.requestId, items: items.length }, 'batch write failed; isolating items');
  }
  return deps.dataSource.transaction('READ COMMITTED', async (manager) => {
    const outcomes: ItemOutcome[] = [];
    for (const item of items) {
      await manager.query('SAVEPOINT submit_item');
      try {
        outcomes.push(...(await writeItems(manager, deps.auditWriter, actor, agencyId, [item], rights)));
        await manager.query('RELEASE SAVEPOINT submit_item');
      } catch (error) {
        await manager.query('ROLLBACK TO SAVEPOINT submit_item');
        deps.logger.warn({ err: error, requestId: actor.requestId, index: item.index }, 'item could not be written');
        outcomes.push(failed(item.index, item.sourceRef, [{ field: `records[${item.index}]`, code: 'NOT_STORED', message: 'the item could not be stored; nothing of it was written' }]));
      }
    }
    return outcomes;
  });
}

/** The set-based write of validated items with distinct sourceRefs, audited in the same transaction. */
async function writeItems(
  manager: EntityManager, auditWriter: AuditWriter, actor: AuditActor, agencyId: string, items: readonly ValidItem[], rights: SubmitterRights,
  lockMode: 'SHARED' | 'EXCLUSIVE' = 'EXCLUSIVE',
): Promise<ItemOutcome[]> {
  await manager.query(lockMode === 'SHARED' ? 'SELECT pg_advisory_xact_lock_shared($1)' : 'SELECT pg_advisory_xact_lock($1)', [IDENTITY_LOCK]);
  const sourceRefs = items.map((i) => i.sourceRef);
  const heads = await lockHeads(manager, agencyId, sourceRefs);
  const open = await lockOpenEntries(manager, agencyId, sourceRefs);
  const enquiries = await existingEnquiries(manager, items);

  const outcomes: ItemOutcome[] = [];
  const toIdentify: IdentifyRequest[] = [];
  for (const item of items) {
    const head = heads.get(item.sourceRef);
    const held = head?.versions.get(item.contentHash);
    const parked = open.get(item.sourceRef);
    if (item.enquiryId && !enquiries.has(item.enquiryId)) {
      outcomes.push(failed(item.index, item.sourceRef, [{ field: `records[${item.index}].enquiryId`, code: 'ENQUIRY_NOT_FOUND', message: 'no such enquiry' }]));
    } else if (head && held !== undefined) {
      outcomes.push(settled(item, 'UNCHANGED', head.id, head.childId, held, null));
    } else if (!head && parked?.contentHash === item.contentHash) {
      outcomes.push(settled(item, 'PENDING_MATCH', null, null, null, parked.id));
    } else {
      toIdentify.push({ key: item.index, claim: item.child, exactOnly: head !== undefined });
    }
  }

  const identities = await identifyChildren(manager, agencyId, toIdentify, rights, lockMode);
  const filings: Filing[] = [];
  const parkings: Parking[] = [];
  const byIndex = new Map(items.map((i) => [i.index, i]));
  for (const request of toIdentify) {
    const item = byIndex.get(request.key);
    const identity = identities.get(request.key);
    if (!item || !identity) continue;
    const head = heads.get(item.sourceRef);
    if (identity.kind === 'CHILD_NOT_FOUND') {
      outcomes.push(failed(item.index, item.sourceRef, [{ field: `records[${item.index}].child.childId`, code: 'CHILD_NOT_FOUND', message: 'no such child' }]));
    } else if (identity.kind === 'LINKED') {
      filings.push({ item, childId: identity.childId });
    } else if (head) {
      // A filed record stays with its child unless an identifier says otherwise.
      filings.push({ item, childId: head.childId });
    } else if (identity.kind === 'PENDING') {
      parkings.push({ item, reason: identity.reason, candidates: identity.candidates, existingId: open.get(item.sourceRef)?.id ?? null });
    }
  }

  if (lockMode === 'SHARED' && parkings.length > 0) throw new IdentityChangeNeedsExclusiveLock('park items in the match queue');
  const filed = await fileRecords(manager, agencyId, actor.viewer.sub, filings, heads).catch((error: unknown) => {
    throw lockMode === 'SHARED' && error instanceof HeadAppeared ? new RecordHeadRace(error.message) : error;
  });
  const matchIds = await parkItems(manager, agencyId, actor.viewer.sub, parkings);
  const superseded = filed.flatMap((f) => {
    const entry = open.get(byIndex.get(f.index)?.sourceRef ?? '');
    return entry ? [{ id: entry.id, childId: f.childId, recordId: f.recordId }] : [];
  });
  await closeEntries(manager, 'SUPERSEDED', actor.viewer.sub, superseded);

  const written: ItemOutcome[] = [
    ...filed.map((f) => settled(byIndex.get(f.index) as ValidItem, f.status, f.recordId, f.childId, f.version, null)),
    ...parkings.map((p) => settled(p.item, 'PENDING_MATCH', null, null, null, matchIds.get(p.item.index) ?? null)),
  ];
  await auditWriter.appendWithin(manager, actor, submitAudit(agencyId, written));
  return [...outcomes, ...written];
}

/**
 * One audit event per kind of write in the batch (created, new version, parked), naming every
 * record or parked item it covers; content already held is not a write and is not audited.
 */
export function submitAudit(agencyId: string, written: readonly ItemOutcome[], action = 'RECORD_SUBMIT'): AuditEntry[] {
  const byStatus = new Map<string, ItemOutcome[]>();
  for (const outcome of written) {
    if (outcome.status === 'UNCHANGED' || outcome.status === 'FAILED') continue;
    const same = byStatus.get(outcome.status);
    if (same) same.push(outcome);
    else byStatus.set(outcome.status, [outcome]);
  }
  return [...byStatus.entries()].map(([status, outcomes]) => {
    const ids = outcomes.map((o) => o.recordId ?? o.matchId).filter((id): id is string => id !== null);
    const children = new Set(outcomes.map((o) => o.childId));
    return {
      action,
      outcome: 'OK' as const,
      childId: children.size === 1 ? [...children][0] : null,
      recordId: ids.length === 1 && outcomes[0].recordId ? ids[0] : null,
      recordAgencyId: agencyId,
      resultIds: ids,
      query: { status, items: outcomes.length },
    };
  });
}

async function existingEnquiries(manager: EntityManager, items: readonly ValidItem[]): Promise<Set<string>> {
  const ids = [...new Set(items.flatMap((i) => (i.enquiryId ? [i.enquiryId] : [])))];
  if (ids.length === 0) return new Set();
  const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM enquiry WHERE id = ANY($1::uuid[])`, [ids]);
  return new Set(rows.map((r) => r.id));
}
