import { mayDecideEnquiry } from '../../policy/front-door';
import type { RequestContext } from '../../server/context';
import { badField, forbidden, Problems, textLength } from '../../server/errors';
import type { AuditEntry } from '../audit/audit-writer';
import { isUuid } from '../../domain/identifiers';
import { MIN_DECISION_RATIONALE, MIN_REASON, SECTION_47_OUTCOMES } from './front-door-vocabulary';
import type { DecisionInput } from './decision.types';
import { unknownAgencyCodes } from '../consents/consent.service';
import { canonicalChildIds } from '../matching/canonical-child';

const MIN_BASIS_RATIONALE = 20;

function validate(input: DecisionInput, now: Date): Problems {
  const problems = new Problems();
  if (!isUuid(input.enquiryId)) problems.add('input.enquiryId', 'no such open enquiry');
  if (textLength(input.rationale.trim()) < MIN_DECISION_RATIONALE) problems.add('input.rationale', `give a rationale of substance (at least ${MIN_DECISION_RATIONALE} characters)`);
  problems.checkText('input.rationale', input.rationale, 8000);
  input.reliedOnRecordIds.forEach((id, i) => { if (!isUuid(id)) problems.add(`input.reliedOnRecordIds[${i}]`, 'is not a record id'); });
  // Information sharing advice 2024, golden rule seven: record what was shared and with whom, or why not.
  if (input.sharing.length === 0) problems.add('input.sharing', 'record what was shared with whom and why, or why nothing was shared');
  input.sharing.forEach((s, i) => {
    if (!s.recipient.trim()) problems.add(`input.sharing[${i}].recipient`, 'name who it was (or was not) shared with');
    if (s.shared && !s.what?.trim()) problems.add(`input.sharing[${i}].what`, 'say what was shared');
    if (textLength(s.reason.trim()) < MIN_REASON) problems.add(`input.sharing[${i}].reason`, `give a reason of at least ${MIN_REASON} characters`);
    problems.checkText(`input.sharing[${i}].recipient`, s.recipient, 200);
    problems.checkText(`input.sharing[${i}].what`, s.what, 2000);
    problems.checkText(`input.sharing[${i}].reason`, s.reason, 2000);
  });
  const basis = input.section47Basis;
  if (basis) {
    if (!SECTION_47_OUTCOMES.includes(input.outcome)) problems.add('input.section47Basis', 'a section 47 basis goes only with a strategy discussion or immediate protection');
    problems.text('input.section47Basis.rationale', basis.rationale, MIN_BASIS_RATIONALE, 4000);
    if (basis.endsAt && basis.endsAt <= now) problems.add('input.section47Basis.endsAt', 'must be in the future');
  }
  return problems;
}

/**
 * A manager's decision on an enquiry (Working Together 2023: within one working day of receipt),
 * with the records relied on, what was shared and why, and optionally the s47 basis, in one transaction.
 */
export async function recordDecision(ctx: RequestContext, input: DecisionInput): Promise<string> {
  if (!mayDecideEnquiry(ctx.viewer)) throw forbidden('decisions on enquiries are recorded by a social care manager');
  const problems = validate(input, ctx.now);
  problems.throwIfAny();
  const childIds: string[] = (await ctx.services.dataSource.query(`SELECT child_id FROM enquiry_child WHERE enquiry_id = $1`, [input.enquiryId]))
    .map((r: { child_id: string }) => r.child_id);
  // The records relied on must be ones the manager may know of about these children.
  const known = new Set((await Promise.all(childIds.map((id) => ctx.access.decidedRecordsOfChild(id)))).flat().map((d) => d.meta.id));
  input.reliedOnRecordIds.forEach((id, i) => { if (!known.has(id)) problems.add(`input.reliedOnRecordIds[${i}]`, 'is not a record about a child on this enquiry'); });
  // As for a basis recorded on its own: no list means every partner; a list names real agencies.
  const given = input.section47Basis?.recipientAgencyCodes;
  const recipients = given === null || given === undefined ? null : [...new Set(given.map((c) => c.trim().toUpperCase()))];
  if (recipients && recipients.length === 0) problems.add('input.section47Basis.recipientAgencyCodes', 'omit the list for every partner, or name at least one agency');
  else if (recipients) {
    const unknown = await unknownAgencyCodes(ctx.services.dataSource.manager, recipients);
    if (unknown.length > 0) problems.add('input.section47Basis.recipientAgencyCodes', `unknown agency code(s): ${unknown.join(', ')}`);
  }
  problems.throwIfAny();
  return ctx.services.dataSource.transaction(async (manager) => {
    const updated: Array<{ id: string }> = await manager.query(
      // Wrapped as a SELECT: for an UPDATE the driver answers [rows, count], never an empty list.
      `WITH u AS (UPDATE enquiry SET status = 'DECIDED' WHERE id = $1 AND status = 'OPEN' RETURNING id) SELECT id FROM u`, [input.enquiryId]);
    if (updated.length === 0) throw badField('input.enquiryId', 'no such open enquiry');
    const [decision]: Array<{ id: string }> = await manager.query(
      `INSERT INTO enquiry_decision (enquiry_id, outcome, rationale, relied_on_record_ids, decided_by_sub, decided_by_name, decided_by_agency_id, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [input.enquiryId, input.outcome, input.rationale.trim(), [...new Set(input.reliedOnRecordIds)], ctx.viewer.sub, ctx.viewer.name, ctx.viewer.agencyId, ctx.now]);
    await manager.query(
      `INSERT INTO decision_sharing (decision_id, recipient, shared, what, reason) SELECT $1, * FROM unnest($2::text[], $3::boolean[], $4::text[], $5::text[])`,
      [decision.id, input.sharing.map((s) => s.recipient.trim()), input.sharing.map((s) => s.shared),
        input.sharing.map((s) => (s.shared ? s.what?.trim() ?? null : s.what?.trim() || null)), input.sharing.map((s) => s.reason.trim())]);
    const audit: AuditEntry[] = childIds.map((childId) => ({
      action: 'ENQUIRY_DECISION', outcome: 'OK', childId, purpose: { enquiryId: input.enquiryId, reason: null },
      query: { decisionId: decision.id, outcome: input.outcome }, resultIds: input.reliedOnRecordIds,
    }));
    const basis = input.section47Basis;
    if (basis) {
      // Children Act 1989 s47: reasonable cause to suspect significant harm; checks without consent
      // rest on this recorded basis (R (AB & CD) v Haringey [2013]).
      // Against each child as it is now (and locked so): a child merged meanwhile answers as its survivor.
      const current = [...new Set((await canonicalChildIds(manager, childIds)).values())];
      const bases: Array<{ id: string; child_id: string }> = await manager.query(
        `INSERT INTO lawful_basis (child_id, kind, recipient_agency_codes, starts_at, ends_at, rationale, authorised_by_sub, authorised_by_name, recorded_by_agency_id)
         SELECT unnest($1::uuid[]), 'SECTION_47_ENQUIRY', $2::text[], $3, $4, $5, $6, $7, $8 RETURNING id, child_id`,
        [current, recipients, ctx.now, basis.endsAt ?? null, basis.rationale.trim(), ctx.viewer.sub, ctx.viewer.name, ctx.viewer.agencyId]);
      await manager.query(`INSERT INTO decision_lawful_basis (decision_id, lawful_basis_id) SELECT $1, unnest($2::uuid[])`, [decision.id, bases.map((b) => b.id)]);
      audit.push(...bases.map((b) => ({ action: 'LAWFUL_BASIS_RECORD', outcome: 'OK' as const, childId: b.child_id, query: { lawfulBasisId: b.id, kind: 'SECTION_47_ENQUIRY', decisionId: decision.id } })));
    }
    await ctx.services.auditWriter.appendWithin(manager, ctx, audit);
    return decision.id;
  });
}
