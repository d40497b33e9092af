import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the field being resolved selects any of `names` directly beneath it, through inline
 * fragments and named fragments too. A loading hint only: what is returned is still decided where
 * each field is resolved.
 */
export function selectsAnyOf(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, names: readonly string[]): boolean {
  const visited = new Set<string>();
  const selects = (set: SelectionSetNode | undefined): boolean =>
    set?.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return names.includes(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return selects(selection.selectionSet);
      if (visited.has(selection.name.value)) return false;
      visited.add(selection.name.value);
      return selects(info.fragments[selection.name.value]?.selectionSet);
    }) ?? false;
  return info.fieldNodes.some((node) => selects(node.selectionSet));
}

/** The fields of a child that page its records: loading a child for them brings the records' metadata along. */
export const CHILD_RECORD_FIELDS = ['records', 'chronology'] as const;
