import { parse, type FragmentDefinitionNode, type OperationDefinitionNode, type FieldNode } from 'graphql';
import { selectedAmong, selectsAnyOf } from './selection';

/** The info a resolver of the operation's first top-level field would get. */
function infoFor(document: string): { fieldNodes: FieldNode[]; fragments: Record<string, FragmentDefinitionNode> } {
  const parsed = parse(document);
  const operation = parsed.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  const fragments = Object.fromEntries(
    parsed.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((f) => [f.name.value, f]),
  );
  return { fieldNodes: [operation?.selectionSet.selections[0] as FieldNode], fragments };
}

describe('selectsAnyOf', () => {
  const names = ['records', 'chronology'];

  it('sees a field selected directly, in an inline fragment or in a named one', () => {
    expect(selectsAnyOf(infoFor('{ child(id: "x") { givenName records { totalCount } } }'), names)).toBe(true);
    expect(selectsAnyOf(infoFor('{ child(id: "x") { ... on Child { chronology { totalCount } } } }'), names)).toBe(true);
    expect(selectsAnyOf(infoFor('{ child(id: "x") { ...Paged } } fragment Paged on Child { ...Deeper } fragment Deeper on Child { records { totalCount } }'), names)).toBe(true);
  });

  it('ignores fields not selected and fields further down', () => {
    expect(selectsAnyOf(infoFor('{ child(id: "x") { givenName familyName } }'), names)).toBe(false);
    expect(selectsAnyOf(infoFor('{ child(id: "x") { enquiries { children { records { totalCount } } } } }'), names)).toBe(false);
    expect(selectsAnyOf(infoFor('{ child(id: "x") { ...A } } fragment A on Child { givenName ...A }'), names)).toBe(false);
  });

  it('follows a path down, through fragments and aliases, and only that path', () => {
    const onNodes = (document: string) => selectsAnyOf(infoFor(document), ['sourceRef'], ['records', 'edges', 'node']);
    expect(onNodes('{ child(id: "x") { records { edges { node { id sourceRef } } } } }')).toBe(true);
    expect(onNodes('{ child(id: "x") { records { edges { node { ref: sourceRef } } } } }')).toBe(true);
    expect(onNodes('{ child(id: "x") { ...C } } fragment C on Child { records { edges { ... on SharedRecordEdge { node { ...R } } } } } fragment R on SharedRecord { sourceRef }')).toBe(true);
    expect(onNodes('{ child(id: "x") { records { edges { node { id summary } } } } }')).toBe(false);
    expect(onNodes('{ child(id: "x") { records { totalCount } chronology { edges { node { record { sourceRef } } } } } }')).toBe(false);
    expect(onNodes('{ child(id: "x") { records { edges { node { ...R } } } } } fragment R on SharedRecord { id ...R }')).toBe(false);
  });

  it('names which of several fields are selected at a path, through fragments and aliases', () => {
    const parts = ['detail', 'factorCodes', 'sourceRef'] as const;
    const onNodes = (document: string) => [...selectedAmong(infoFor(document), parts, ['records', 'edges', 'node'])].sort();
    expect(onNodes('{ child(id: "x") { records { edges { node { id detail } } } } }')).toEqual(['detail']);
    expect(onNodes('{ child(id: "x") { records { edges { node { codes: factorCodes ...R } } } } } fragment R on SharedRecord { ... on SharedRecord { sourceRef } }')).toEqual(['factorCodes', 'sourceRef']);
    expect(onNodes('{ child(id: "x") { records { edges { node { id summary } } pageInfo { hasNextPage } } } }')).toEqual([]);
    expect(onNodes('{ child(id: "x") { records { totalCount } chronology { edges { node { record { detail } } } } } }')).toEqual([]);
  });
});
