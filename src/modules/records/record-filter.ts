import { badField } from '../../server/errors';
import type { RecordFilterArgs } from '../../access/access-layer';
import type { RecordFilter } from './record.types';

export function parseRecordFilter(filter: RecordFilter | null | undefined): RecordFilterArgs {
  if (!filter) return {};
  if (filter.from && filter.to && filter.from >= filter.to) throw badField('filter.to', 'must be after filter.from');
  return {
    agencyCodes: filter.agencyCodes?.map((c) => c.trim().toUpperCase()) ?? null,
    categories: filter.categories ?? null,
    from: filter.from ?? null,
    to: filter.to ?? null,
  };
}
