import type { EntityManager } from 'typeorm';
import { AGENCY_KINDS, type AgencyKind } from '../../domain/vocabulary';
import { Problems } from '../../server/errors';
import { AgencyEntity } from './agency.entity';
import type { AgencyInput } from './agency.types';

export async function listAgencies(manager: EntityManager): Promise<AgencyEntity[]> {
  return manager.getRepository(AgencyEntity).find({ order: { code: 'ASC' } });
}

/**
 * The agencies with these codes, in one statement. Only what could be a code is looked up: a NUL
 * in one would fail the statement rather than name no agency.
 */
export async function agenciesWithCodes(manager: EntityManager, codes: readonly string[]): Promise<Array<{ id: string; code: string }>> {
  const plausible = codes.filter((code) => /^[A-Z0-9_-]{1,32}$/.test(code));
  return manager.query(`SELECT id, code FROM agency WHERE code = ANY($1::text[])`, [plausible]);
}

export function validateAgencyInput(input: AgencyInput): { code: string; name: string; kind: AgencyKind } {
  const problems = new Problems();
  const code = input.code.trim().toUpperCase();
  if (!/^[A-Z0-9_]{2,16}$/.test(code)) problems.add('input.code', 'must be 2 to 16 capital letters, digits or underscores');
  const name = problems.text('input.name', input.name, 1, 200);
  if (!AGENCY_KINDS.includes(input.kind)) problems.add('input.kind', 'is not an agency kind');
  problems.throwIfAny();
  return { code, name, kind: input.kind };
}

/** Creates an agency or updates its name and kind; the code is its identity and never changes. */
export async function upsertAgency(manager: EntityManager, input: AgencyInput): Promise<AgencyEntity> {
  const value = validateAgencyInput(input);
  const rows: AgencyEntity[] = await manager.query(
    `INSERT INTO agency (code, name, kind) VALUES ($1, $2, $3)
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, updated_at = now()
     RETURNING id, code, name, kind`,
    [value.code, value.name, value.kind],
  );
  return rows[0];
}
