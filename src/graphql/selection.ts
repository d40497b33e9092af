import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

type SelectionInfo = Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>;

/**
 * The fields selected directly in `sets`, looking through inline and named fragments (each named
 * fragment once, so a cycle ends).
 */
function fieldsOf(info: SelectionInfo, sets: ReadonlyArray<SelectionSetNode | undefined>): FieldNode[] {
  const fields: FieldNode[] = [];
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        walk(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  sets.forEach(walk);
  return fields;
}

/** The fields selected at `path` beneath the field being resolved (`[]`: directly beneath). */
function fieldsAt(info: SelectionInfo, path: readonly string[]): FieldNode[] {
  let fields = fieldsOf(info, info.fieldNodes.map((node) => node.selectionSet));
  for (const step of path) fields = fieldsOf(info, fields.filter((field) => field.name.value === step).map((field) => field.selectionSet));
  return fields;
}

/**
 * Whether the field being resolved selects any of `names` at `path` beneath it (`[]`: directly
 * beneath; `['edges', 'node']`: on each node of a connection), through inline and named fragments
 * too. A loading hint only: what is returned is still decided where each field is resolved.
 */
export function selectsAnyOf(info: SelectionInfo, names: readonly string[], path: readonly string[] = []): boolean {
  return fieldsAt(info, path).some((field) => names.includes(field.name.value));
}

/** Which of `names` the field being resolved selects at `path` beneath it, as for `selectsAnyOf`. */
export function selectedAmong<Name extends string>(info: SelectionInfo, names: readonly Name[], path: readonly string[] = []): Set<Name> {
  const selected = new Set(fieldsAt(info, path).map((field) => field.name.value));
  return new Set(names.filter((name) => selected.has(name)));
}

/** The fields of a child that page its records: loading a child for them brings the records' metadata along. */
export const CHILD_RECORD_FIELDS = ['records', 'chronology'] as const;
