import type { FieldProblem } from '../../server/errors';
import type { StrategyDiscussion } from './strategy.types';

/**
 * What a strategy discussion still lacks before it can be finalised. Every missing part is
 * named, so the chair sees the whole list at once.
 */
export function missingBeforeFinal(d: Pick<StrategyDiscussion, 'attendees' | 'recordsShared' | 'risks' | 'rationale' | 'decision' | 'actions'>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (d.attendees.length === 0) problems.push({ field: 'attendees', message: 'record who attended (agencies and roles)' });
  if (d.recordsShared.length === 0) problems.push({ field: 'recordsShared', message: 'record which records were shared' });
  if (d.risks.length === 0) problems.push({ field: 'risks', message: 'record the risks identified' });
  if (!d.rationale?.trim()) problems.push({ field: 'rationale', message: 'record the rationale' });
  if (!d.decision?.trim()) problems.push({ field: 'decision', message: 'record the decision' });
  if (d.actions.length === 0) problems.push({ field: 'actions', message: 'record at least one action' });
  d.actions.forEach((action, i) => {
    if (!action.ownerName?.trim() || !action.ownerAgency) problems.push({ field: `actions[${i}].owner`, message: 'give the action an owner (agency and name)' });
    if (!action.dueAt) problems.push({ field: `actions[${i}].dueAt`, message: 'give the action a due date' });
  });
  return problems;
}
