import type { EntityManager } from 'typeorm';
import { agenciesById } from '../access/record-store';
import type { AgencyKind } from '../domain/vocabulary';

export interface AgencyEntry {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly kind: AgencyKind;
}

/**
 * Agencies by code for token checks. Agencies change rarely, so a found agency is kept for a
 * short while; an unknown code is always looked up again, so a new agency works at once.
 */
export class AgencyDirectory {
  private readonly cache = new Map<string, { entry: AgencyEntry; until: number }>();
  private list: { byId: Promise<Map<string, AgencyEntry>>; until: number } | null = null;

  constructor(private readonly ttlMs = 30_000) {}

  async find(manager: EntityManager, code: string, now = Date.now()): Promise<AgencyEntry | null> {
    const cached = this.cache.get(code);
    if (cached && cached.until > now) return cached.entry;
    const rows: AgencyEntry[] = await manager.query('SELECT id, code, name, kind FROM agency WHERE code = $1', [code]);
    if (rows.length === 0) {
      this.cache.delete(code);
      return null;
    }
    this.cache.set(code, { entry: rows[0], until: now + this.ttlMs });
    return rows[0];
  }

  /**
   * Every agency by id, kept for the same short while; read again at once if asked for an id it
   * does not hold (an agency added since), so a record is never shown without its agency.
   */
  async all(manager: EntityManager, mustInclude: readonly string[] = [], now = Date.now()): Promise<Map<string, AgencyEntry>> {
    if (this.list && this.list.until > now) {
      const cached = await this.list.byId.catch(() => null);
      if (cached && mustInclude.every((id) => cached.has(id))) return cached;
    }
    const byId: Promise<Map<string, AgencyEntry>> = agenciesById(manager);
    this.list = { byId, until: now + this.ttlMs };
    return byId;
  }

  forget(code: string): void {
    this.cache.delete(code);
    this.list = null;
  }
}
