import type { EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit-writer';
import { badField, notFound, textLength } from '../../server/errors';
import { isStorableText } from '../../domain/storable-text';
import { IDENTITY_LOCK, type SubmitDeps } from '../records/submit.service';
import { recountReferrals } from '../enquiries/referral-count';

interface MergeChild {
  id: string;
  nhs_number: string | null;
  upn: string | null;
  merged_into_id: string | null;
  shielded: boolean;
  address_confidential: boolean;
}

/**
 * Folds a duplicate child into the survivor. Everything about the duplicate moves: records
 * (their versions are untouched — only the head's child changes), consents, lawful bases, local
 * identifiers, access requests, break-glass sessions and enquiry links. The duplicate stays, marked
 * merged_into_id, so old audit rows and links still resolve; nothing is deleted.
 */
export async function mergeChildren(deps: SubmitDeps, actor: AuditActor, survivorId: string, duplicateId: string, reason: string): Promise<{ movedRecordIds: string[] }> {
  const why = reason.trim();
  if (textLength(why) < 10) throw badField('reason', 'say why these are the same child (at least 10 characters)');
  if (textLength(why) > 2000 || !isStorableText(why)) throw badField('reason', `at most 2000 characters, and none that cannot be stored (a NUL)`);
  if (survivorId === duplicateId) throw badField('duplicateId', 'a child cannot be merged into itself');
  return deps.dataSource.transaction('READ COMMITTED', async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [IDENTITY_LOCK]);
    const rows: MergeChild[] = await manager.query(
      `SELECT id, nhs_number, upn, merged_into_id, shielded, address_confidential FROM child WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [[survivorId, duplicateId]],
    );
    const survivor = rows.find((r) => r.id === survivorId);
    const duplicate = rows.find((r) => r.id === duplicateId);
    if (!survivor || survivor.merged_into_id) throw notFound('survivor child');
    if (!duplicate || duplicate.merged_into_id) throw notFound('duplicate child');
    // Two different NHS numbers (or UPNs) mean two different children, whatever else agrees.
    if (survivor.nhs_number && duplicate.nhs_number) throw badField('duplicateId', 'both children hold an NHS number: they are different children');
    if (survivor.upn && duplicate.upn) throw badField('duplicateId', 'both children hold a UPN: they are different children');

    // The driver answers an UPDATE with [rows, affected count].
    const [moved]: [Array<{ id: string }>, number] = await manager.query(
      `UPDATE shared_record SET child_id = $1, updated_at = now() WHERE child_id = $2 RETURNING id`, [survivorId, duplicateId],
    );
    const movedRecordIds = moved.map((r) => r.id);
    const recordsMoved = movedRecordIds.length;
    for (const table of ['consent', 'lawful_basis', 'child_identifier', 'access_request', 'break_glass_session']) {
      await manager.query(`UPDATE ${table} SET child_id = $1 WHERE child_id = $2`, [survivorId, duplicateId]);
    }
    // A break-glass session still open on either child now opens both children's records: each
    // agency holding them is told and may review it, as when records reach a child during one.
    await manager.query(
      `INSERT INTO break_glass_notification (session_id, agency_id)
       SELECT s.id, r.agency_id FROM break_glass_session s CROSS JOIN (SELECT DISTINCT agency_id FROM shared_record WHERE child_id = $1) r
       WHERE s.child_id = $1 AND s.expires_at > now()
       ON CONFLICT (session_id, agency_id) DO NOTHING`,
      [survivorId],
    );
    await manager.query(
      `INSERT INTO enquiry_child (enquiry_id, child_id) SELECT enquiry_id, $1 FROM enquiry_child WHERE child_id = $2 ON CONFLICT DO NOTHING`,
      [survivorId, duplicateId],
    );
    // The two histories are now one: the survivor's enquiries count the duplicate's, and theirs.
    await recountReferrals(manager, [survivorId]);
    // Research requests follow unless the survivor already has the same request.
    await manager.query(
      `UPDATE research_request r SET child_id = $1 WHERE r.child_id = $2
         AND NOT EXISTS (SELECT 1 FROM research_request s WHERE s.enquiry_id = r.enquiry_id AND s.agency_id = r.agency_id AND s.child_id = $1)`,
      [survivorId, duplicateId],
    );
    await manager.query(`UPDATE child SET merged_into_id = $1, updated_at = now() WHERE merged_into_id = $2`, [survivorId, duplicateId]);
    await manager.query(`UPDATE child SET merged_into_id = $1, nhs_number = NULL, upn = NULL, updated_at = now() WHERE id = $2`, [survivorId, duplicateId]);
    await manager.query(
      `UPDATE child SET nhs_number = coalesce(nhs_number, $2), upn = coalesce(upn, $3), updated_at = now() WHERE id = $1`,
      [survivorId, duplicate.nhs_number, duplicate.upn],
    );
    await keepProtections(manager, survivor, duplicate);
    const query = { survivorId, duplicateId, reason: why, recordsMoved, duplicateNhsNumber: duplicate.nhs_number, duplicateUpn: duplicate.upn };
    await deps.auditWriter.appendWithin(manager, actor, [
      { action: 'CHILD_MERGE', outcome: 'OK', childId: survivorId, query },
      { action: 'CHILD_MERGE', outcome: 'OK', childId: duplicateId, query },
    ]);
    return { movedRecordIds };
  });
}

/**
 * The survivor keeps whatever protected either child. Shielding stays if either was shielded
 * (ContactPoint shielding). A refuge address is where the child actually is and must stay
 * confidential to the agency that recorded it, so the survivor takes it — unless the survivor's
 * own address is already confidential, which is then the one kept: a protected address is never
 * replaced by another nor turned into an open one.
 */
async function keepProtections(manager: EntityManager, survivor: MergeChild, duplicate: MergeChild): Promise<void> {
  const takeAddress = duplicate.address_confidential && !survivor.address_confidential;
  if (!duplicate.shielded && !takeAddress) return;
  await manager.query(
    `UPDATE child s SET shielded = s.shielded OR d.shielded,
            address = CASE WHEN $3 THEN d.address ELSE s.address END,
            postcode = CASE WHEN $3 THEN d.postcode ELSE s.postcode END,
            address_confidential = s.address_confidential OR $3,
            address_recorded_by_agency_id = CASE WHEN $3 THEN d.address_recorded_by_agency_id ELSE s.address_recorded_by_agency_id END,
            updated_at = now()
     FROM child d WHERE s.id = $1 AND d.id = $2`,
    [survivor.id, duplicate.id, takeAddress],
  );
}
