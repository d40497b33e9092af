/**
 * The chronology is compared with the policy as soon as the schema has `Child.chronology`. Its
 * entry type is read by introspection, so the check follows whatever entry fields it exposes.
 */
import type { Hub } from '../support/harness';

interface TypeRef { name: string | null; kind: string; ofType: TypeRef | null }
interface FieldInfo { name: string; type: TypeRef }

const FIELDS = `fields { name type { name kind ofType { name kind ofType { name kind ofType { name kind ofType { name kind } } } } } }`;

function unwrap(type: TypeRef): TypeRef {
  return type.ofType ? unwrap(type.ofType) : type;
}

async function fieldsOf(hub: Hub, token: string, typeName: string): Promise<FieldInfo[]> {
  const res = await hub.gql<{ __type: { fields: FieldInfo[] } | null }>(`query Shape($n: String!) { __type(name: $n) { ${FIELDS} } }`, { n: typeName }, token);
  return res.data?.__type?.fields ?? [];
}

export interface ChronologyShape {
  /** Selection of one chronology page: `edges { node { ... } }` or `nodes { ... }`. */
  readonly selection: string;
  /** The entries of a returned page, whichever list the connection uses. */
  entries(page: Record<string, unknown>): Array<Record<string, unknown>>;
}

/** Null when the schema has no chronology yet. */
export async function chronologyShape(hub: Hub, token: string): Promise<ChronologyShape | null> {
  const chronology = (await fieldsOf(hub, token, 'Child')).find((f) => f.name === 'chronology');
  if (!chronology) return null;
  const connection = await fieldsOf(hub, token, unwrap(chronology.type).name ?? '');
  const edges = connection.find((f) => f.name === 'edges');
  const nodes = connection.find((f) => f.name === 'nodes');
  let entryType: string | null = null;
  if (edges) entryType = unwrap((await fieldsOf(hub, token, unwrap(edges.type).name ?? '')).find((f) => f.name === 'node')?.type ?? edges.type).name;
  else if (nodes) entryType = unwrap(nodes.type).name;
  if (!entryType) throw new Error('Child.chronology exists but its entries are neither edges { node } nor nodes');

  const entryFields = await fieldsOf(hub, token, entryType);
  const leaves = entryFields
    .filter((f) => ['id', 'recordId', 'visibility', 'grounds', 'summary', 'detail', 'sourceRef'].includes(f.name))
    .filter((f) => ['SCALAR', 'ENUM'].includes(unwrap(f.type).kind))
    .map((f) => f.name);
  const record = entryFields.find((f) => f.name === 'record' && unwrap(f.type).name === 'SharedRecord');
  const provenance = entryFields.some((f) => f.name === 'provenance');
  const inner = `${leaves.join(' ')} ${record ? 'record { ...RecordFields }' : ''} ${provenance ? 'provenance { kind id }' : ''}`;
  const total = connection.some((f) => f.name === 'totalCount') ? 'totalCount' : '';
  return {
    selection: edges ? `${total} edges { node { ${inner} } }` : `${total} nodes { ${inner} }`,
    entries: (page) => {
      if (edges) return ((page.edges as Array<{ node: Record<string, unknown> }> | undefined) ?? []).map((e) => e.node);
      return (page.nodes as Array<Record<string, unknown>> | undefined) ?? [];
    },
  };
}
