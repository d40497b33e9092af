import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../server/context';
import { badField, badInput, forbidden, notFound, Problems, requiredText } from '../../server/errors';
import { perRequest, perRequestKey } from '../../server/per-request';
import { inForce } from '../../policy/in-force';
import { lawfulBasisEnding, mayRecordLawfulBasis } from '../../policy/grounds-admin';
import { isUuid } from '../../domain/identifiers';
import { canonicalChildId, unknownAgencyCodes } from '../consents/consent.service';
import { LawfulBasisEntity } from './lawful-basis.entity';
import type { LawfulBasis, LawfulBasisInput } from './lawful-basis.types';

/** A rationale a reviewer can weigh (R (AB & CD) v Haringey [2013]: checks without consent need a documented basis). */
export const MIN_RATIONALE = 20;

export function toLawfulBasis(row: LawfulBasisEntity, now: Date): LawfulBasis {
  return {
    id: row.id,
    childId: row.childId,
    kind: row.kind,
    recipientAgencyCodes: row.recipientAgencyCodes,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    rationale: row.rationale,
    authorisedByName: row.authorisedByName,
    endedAt: row.endedAt,
    endReason: row.endReason,
    active: inForce(now, row.startsAt, row.endsAt, row.endedAt),
  };
}

export async function recordLawfulBasis(manager: EntityManager, ctx: RequestContext, input: LawfulBasisInput): Promise<LawfulBasisEntity> {
  if (!mayRecordLawfulBasis(ctx.viewer, input.kind)) {
    throw forbidden('a lawful basis is recorded by a social care manager (a police manager may record POLICE_PROTECTION)');
  }
  const problems = new Problems();
  const rationale = problems.text('input.rationale', input.rationale, MIN_RATIONALE, 4000);
  let codes: string[] | null = null;
  if (input.recipientAgencyCodes !== null && input.recipientAgencyCodes !== undefined) {
    codes = [...new Set(input.recipientAgencyCodes.map((c) => c.trim().toUpperCase()))];
    if (codes.length === 0) problems.add('input.recipientAgencyCodes', 'omit the list for every partner, or name at least one agency');
    else {
      const unknown = await unknownAgencyCodes(manager, codes);
      if (unknown.length > 0) problems.add('input.recipientAgencyCodes', `unknown agency code(s): ${unknown.join(', ')}`);
    }
  }
  const childId = await canonicalChildId(manager, input.childId);
  if (!childId) problems.add('input.childId', 'no such child');
  const startsAt = input.startsAt ?? ctx.now;
  const endsAt = input.endsAt ?? null;
  if (endsAt && endsAt.getTime() <= startsAt.getTime()) problems.add('input.endsAt', 'must be after startsAt');
  if (!childId || !problems.empty) throw badInput(problems.items);

  const repo = manager.getRepository(LawfulBasisEntity);
  return repo.save(
    repo.create({
      childId,
      kind: input.kind,
      recipientAgencyCodes: codes,
      startsAt,
      endsAt,
      rationale,
      authorisedBySub: ctx.viewer.sub,
      authorisedByName: ctx.viewer.name,
      recordedByAgencyId: ctx.viewer.agencyId,
      endedAt: null,
      endReason: null,
    }),
  );
}

/** Ended from the request's start time: every later request finds it no longer in force. */
export async function endLawfulBasis(manager: EntityManager, ctx: RequestContext, id: string, reason: string): Promise<LawfulBasisEntity> {
  const why = requiredText('reason', reason, 10, 1000);
  const row = isUuid(id)
    ? await manager.getRepository(LawfulBasisEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } })
    : null;
  const seen = row !== null && (await ctx.access.maySeeSharing(row.childId));
  const may = lawfulBasisEnding(ctx.viewer, row, seen);
  if (may === 'FORBIDDEN') throw forbidden('a lawful basis is ended by a manager with authority to record it');
  if (!row || may === 'NOT_FOUND') throw notFound('lawful basis');
  if (row.endedAt) throw badField('id', 'this basis has already been ended');
  row.endedAt = ctx.now;
  row.endReason = why;
  return manager.getRepository(LawfulBasisEntity).save(row);
}

/**
 * A child's lawful bases as this viewer may see them: empty unless they may see the sharing
 * arrangements. A showing is audited with the bases shown: a rationale is evidence about the child.
 */
export async function lawfulBasesShown(ctx: RequestContext, childId: string): Promise<LawfulBasisEntity[]> {
  if (!(await ctx.access.maySeeSharing(childId))) return [];
  const rows = await lawfulBasesOfChild(ctx, childId);
  ctx.pendingAudit.push({ action: 'LAWFUL_BASES_VIEW', outcome: 'OK', childId, resultIds: rows.map((row) => row.id) });
  return rows;
}

const BASES = perRequestKey<DataLoader<string, LawfulBasisEntity[]>>('lawful bases of a child');

/** A child's lawful bases, batched across every child in the request (one statement). */
export function lawfulBasesOfChild(ctx: RequestContext, childId: string): Promise<LawfulBasisEntity[]> {
  return perRequest(ctx, BASES, () => new DataLoader(async (ids: readonly string[]) => {
    const rows = await ctx.services.dataSource.manager
      .getRepository(LawfulBasisEntity)
      .createQueryBuilder('b')
      .where('b.child_id = ANY(:ids)', { ids })
      .orderBy('b.starts_at', 'DESC')
      .addOrderBy('b.id', 'ASC')
      .getMany();
    const byChild = new Map<string, LawfulBasisEntity[]>(ids.map((id) => [id, []]));
    for (const row of rows) byChild.get(row.childId)?.push(row);
    return ids.map((id) => byChild.get(id) ?? []);
  })).load(childId);
}
