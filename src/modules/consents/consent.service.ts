import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../server/context';
import { badField, forbidden, notFound, Problems } from '../../server/errors';
import { perRequest, perRequestKey } from '../../server/per-request';
import { inForce } from '../../policy/in-force';
import { consentRecording, mayRecordConsent, mayWithdrawConsent } from '../../policy/grounds-admin';
import { isUuid } from '../../domain/identifiers';
import { canonicalChildIds } from '../matching/canonical-child';
import { ConsentEntity } from './consent.entity';
import type { Consent, ConsentInput } from './consent.types';
import { agenciesWithCodes } from '../agencies/agency.service';

export function toConsent(row: ConsentEntity, now: Date): Consent {
  return {
    id: row.id,
    childId: row.childId,
    givenBy: row.givenBy,
    givenByName: row.givenByName,
    recipientAgencyCodes: row.recipientAgencyCodes,
    categories: row.categories,
    purpose: row.purpose,
    givenAt: row.givenAt,
    expiresAt: row.expiresAt,
    evidence: row.evidence,
    withdrawnAt: row.withdrawnAt,
    withdrawalReason: row.withdrawalReason,
    active: inForce(now, row.givenAt, row.expiresAt, row.withdrawnAt),
  };
}

/** Codes among `codes` that name no agency; one statement. */
export async function unknownAgencyCodes(manager: EntityManager, codes: readonly string[]): Promise<string[]> {
  const known = new Set((await agenciesWithCodes(manager, codes)).map((a) => a.code));
  return codes.filter((code) => !known.has(code));
}

/**
 * The id a sharing ground is written against: a child merged as a duplicate answers as its
 * survivor, so a consent, basis or break-glass recorded against the old id still counts where
 * the records now are. Null when there is no such child.
 */
export async function canonicalChildId(manager: EntityManager, childId: string): Promise<string | null> {
  if (!isUuid(childId)) return null;
  const id = childId.toLowerCase();
  return (await canonicalChildIds(manager, [id])).get(id) ?? null;
}

export async function recordConsent(manager: EntityManager, ctx: RequestContext, input: ConsentInput): Promise<ConsentEntity> {
  if (!mayRecordConsent(ctx.viewer)) throw forbidden('consent is recorded by a practitioner, MASH researcher or manager');
  const childId = await canonicalChildId(manager, input.childId);
  const child = childId ? await ctx.access.childDecision(childId) : null;
  const recording = consentRecording(ctx.viewer, child?.decision ?? null);
  if (!child || recording === 'NOT_FOUND') throw notFound('child');
  if (recording === 'FORBIDDEN') {
    throw forbidden('consent is recorded by someone already working with the child (their agency holds records, or the front door has an enquiry) or by MASH staff');
  }
  const problems = new Problems();
  const givenByName = problems.text('input.givenByName', input.givenByName, 1, 200);
  const purpose = problems.text('input.purpose', input.purpose, 1, 500);
  const evidence = problems.text('input.evidence', input.evidence, 1, 500);
  const codes = [...new Set(input.recipientAgencyCodes.map((c) => c.trim().toUpperCase()))];
  if (codes.length === 0) problems.add('input.recipientAgencyCodes', 'name at least one recipient agency');
  else {
    const unknown = await unknownAgencyCodes(manager, codes);
    if (unknown.length > 0) problems.add('input.recipientAgencyCodes', `unknown agency code(s): ${unknown.join(', ')}`);
  }
  if (input.givenAt.getTime() > ctx.now.getTime()) problems.add('input.givenAt', 'cannot be in the future');
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt && expiresAt.getTime() <= input.givenAt.getTime()) problems.add('input.expiresAt', 'must be after givenAt');
  problems.throwIfAny();

  const repo = manager.getRepository(ConsentEntity);
  return repo.save(
    repo.create({
      childId: child.row.id,
      givenBy: input.givenBy,
      givenByName,
      recipientAgencyCodes: codes,
      categories: [...new Set(input.categories ?? [])],
      purpose,
      givenAt: input.givenAt,
      expiresAt,
      evidence,
      recordedBySub: ctx.viewer.sub,
      recordedByAgencyId: ctx.viewer.agencyId,
      withdrawnAt: null,
      withdrawalReason: null,
    }),
  );
}

/**
 * Withdrawal takes effect from the request's start time, so every request that starts after it
 * commits finds the consent withdrawn (DESIGN section 2). The row is locked against a second
 * withdrawal racing this one.
 */
export async function withdrawConsent(manager: EntityManager, ctx: RequestContext, id: string, reason: string): Promise<ConsentEntity> {
  if (!mayWithdrawConsent(ctx.viewer)) throw forbidden('a withdrawal is recorded by a practitioner, MASH researcher or manager');
  const problems = new Problems();
  const why = problems.text('reason', reason, 10, 1000);
  problems.throwIfAny();
  const row = isUuid(id)
    ? await manager.getRepository(ConsentEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } })
    : null;
  if (!row || !(await ctx.access.maySeeSharing(row.childId))) throw notFound('consent');
  if (row.withdrawnAt) throw badField('id', 'this consent is already withdrawn');
  row.withdrawnAt = ctx.now;
  row.withdrawalReason = why;
  return manager.getRepository(ConsentEntity).save(row);
}

/**
 * A child's consents as this viewer may see them: empty unless they may see the sharing
 * arrangements. A showing is audited with the consents shown, because a consent names the
 * parent or carer who gave it and where it is evidenced [UK GDPR Art 5(2)].
 */
export async function consentsShown(ctx: RequestContext, childId: string): Promise<ConsentEntity[]> {
  if (!(await ctx.access.maySeeSharing(childId))) return [];
  const rows = await consentsOfChild(ctx, childId);
  ctx.pendingAudit.push({ action: 'CONSENTS_VIEW', outcome: 'OK', childId, resultIds: rows.map((row) => row.id) });
  return rows;
}

const CONSENTS = perRequestKey<DataLoader<string, ConsentEntity[]>>('consents of a child');

/** A child's consents, batched across every child in the request (one statement). */
export function consentsOfChild(ctx: RequestContext, childId: string): Promise<ConsentEntity[]> {
  return perRequest(ctx, CONSENTS, () => new DataLoader(async (ids: readonly string[]) => {
    const rows = await ctx.services.dataSource.manager
      .getRepository(ConsentEntity)
      .createQueryBuilder('c')
      .where('c.child_id = ANY(:ids)', { ids })
      .orderBy('c.given_at', 'DESC')
      .addOrderBy('c.id', 'ASC')
      .getMany();
    const byChild = new Map<string, ConsentEntity[]>(ids.map((id) => [id, []]));
    for (const row of rows) byChild.get(row.childId)?.push(row);
    return ids.map((id) => byChild.get(id) ?? []);
  })).load(childId);
}
