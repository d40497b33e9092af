/**
 * The compiled executor (src/graphql/executor.ts) must refuse exactly the variables graphql-js
 * refuses, with graphql-js's own messages, and where it accepts them, give the resolvers the same
 * values. fast-check generates variables for every input type of the hub's schema (input objects,
 * lists, enums, scalars including DateTime and LocalDate), from valid values to wrong types,
 * missing and unknown fields (`__proto__` among them), nulls and out-of-range numbers, as JSON
 * would carry them, and compares the compiled executor's answers with graphql-js's.
 *
 * graphql-jit's own coercion is not enough by itself: this test found it accepting an array where
 * an input object is asked for, which graphql-js refuses. That is why the executor looks for such
 * an array before a compiled operation runs, and lets graphql-js answer a request holding one;
 * with that check left out, this test fails.
 */
import 'reflect-metadata';
import fc from 'fast-check';
import {
  execute,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  parse,
  type GraphQLInputType,
  type GraphQLNamedType,
} from 'graphql';
import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { compiledExecutorGateway } from '../../src/graphql/executor';
import { getSchema } from '../../src/graphql/schema';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values of no particular type: what a client might send anywhere. */
const junk: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 8 }),
  fc.constant({} as Json),
  fc.constant([] as Json[]),
  fc.constant(2 ** 31),
  fc.constant(1.5),
);

function scalarArb(name: string): fc.Arbitrary<Json> {
  switch (name) {
    case 'String':
      return fc.oneof(fc.string({ maxLength: 12 }), junk);
    case 'ID':
      return fc.oneof(fc.uuid(), fc.integer(), fc.string({ maxLength: 6 }), junk);
    case 'Int':
      return fc.oneof(fc.integer(), fc.integer({ min: -(2 ** 32), max: 2 ** 32 }), junk);
    case 'Float':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), junk);
    case 'Boolean':
      return fc.oneof(fc.boolean(), junk);
    case 'DateTime':
      return fc.oneof(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constantFrom('2024-02-29T10:00:00+01:00', '2024-13-01T00:00:00Z', '2024-01-01', 'yesterday'),
        junk,
      );
    case 'LocalDate':
      return fc.oneof(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
        fc.constantFrom('2023-02-29', '2024-02-29', '2024-1-1', '20240101'),
        junk,
      );
    default:
      return fc.oneof(fc.string({ maxLength: 12 }), junk);
  }
}

/** Variables for a type: mostly well-formed, with every kind of fault mixed in. */
function valueArb(type: GraphQLInputType, depth: number): fc.Arbitrary<Json | undefined> {
  if (isNonNullType(type)) return fc.oneof({ weight: 8, arbitrary: valueArb(type.ofType, depth) }, { weight: 1, arbitrary: fc.constantFrom(null, undefined) });
  if (isListType(type)) {
    const item = valueArb(type.ofType, depth + 1);
    return fc.oneof(
      { weight: 5, arbitrary: fc.array(item, { maxLength: 3 }) },
      { weight: 2, arbitrary: item }, // a single value where a list is asked for
      { weight: 1, arbitrary: fc.constant(null) },
    ) as fc.Arbitrary<Json | undefined>;
  }
  const named = type as GraphQLNamedType;
  if (isEnumType(named)) return fc.oneof(fc.constantFrom(...named.getValues().map((v) => v.name)), fc.string({ maxLength: 6 }), junk);
  if (isScalarType(named)) return scalarArb(named.name);
  if (isInputObjectType(named)) {
    if (depth > 3) return fc.constant(null);
    const fields = Object.values(named.getFields());
    const record = fc.record(
      Object.fromEntries(fields.map((field) => [field.name, valueArb(field.type, depth + 1)])),
      { requiredKeys: [] },
    );
    const withExtra = fc.tuple(record, fc.constantFrom('__proto__', 'constructor', 'unknownField'), junk).map(([object, key, value]) => {
      // Through JSON, as a request body carries it: a "__proto__" key is then an own property.
      const text = JSON.stringify(object);
      const extra = `${JSON.stringify(key)}:${JSON.stringify(value)}`;
      return JSON.parse(text === '{}' ? `{${extra}}` : `${text.slice(0, -1)},${extra}}`) as Json;
    });
    return fc.oneof({ weight: 6, arbitrary: record }, { weight: 1, arbitrary: withExtra }, { weight: 1, arbitrary: junk }) as fc.Arbitrary<Json | undefined>;
  }
  return junk;
}

/** What a resolver was given, as text: dates by their ISO form, so both sides compare exactly. */
function shown(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? `Date(${Number.isNaN(raw.getTime()) ? 'invalid' : raw.toISOString()})` : v;
  });
}

describe('variables: graphql-jit refuses and reads them as graphql-js does', () => {
  let echo: GraphQLSchema;
  let inputTypes: GraphQLNamedType[];
  let compiled: GatewayExecutor;

  beforeAll(async () => {
    const schema = await getSchema();
    inputTypes = Object.values(schema.getTypeMap()).filter(
      (t) => !t.name.startsWith('__') && (isInputObjectType(t) || isEnumType(t) || isScalarType(t)),
    );
    // One field per input type of the hub's schema, answering with what its resolver was given.
    echo = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: Object.fromEntries(
          inputTypes.flatMap((t) => [
            [`one_${t.name}`, { type: GraphQLString, args: { v: { type: t as GraphQLInputType } }, resolve: (_: unknown, args: Record<string, unknown>) => shown(args) }],
            [`list_${t.name}`, { type: GraphQLString, args: { v: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(t as GraphQLInputType))) } }, resolve: (_: unknown, args: Record<string, unknown>) => shown(args) }],
          ]),
        ),
      }),
    });
    // Compiled from the first run, as the test suite's hubs run.
    const loaded = await compiledExecutorGateway(echo, 0).load({ apollo: { key: undefined, keyHash: undefined, graphRef: undefined } as never });
    if (!loaded.executor) throw new Error('the compiled executor was not loaded');
    compiled = loaded.executor;
  });

  it('covers the input types partner systems send', () => {
    const names = inputTypes.map((t) => t.name);
    for (const name of ['RecordInput', 'PurposeInput', 'ChildSearchInput', 'DateTime', 'LocalDate', 'ID', 'Int']) expect(names).toContain(name);
  });

  it('answers generated variables for every input type as graphql-js does', async () => {
    for (const type of inputTypes) {
      for (const [field, varType] of [
        [`one_${type.name}`, type.name],
        [`list_${type.name}`, `[${type.name}!]!`],
      ] as const) {
        const document = parse(`query($v: ${varType}) { ${field}(v: $v) }`);
        const gqlType = (varType.startsWith('[') ? new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type as GraphQLInputType))) : type) as GraphQLInputType;
        await fc.assert(
          fc.asyncProperty(valueArb(gqlType, 0), async (value) => {
            const variables = value === undefined ? {} : (JSON.parse(JSON.stringify({ v: value })) as Record<string, unknown>);
            const reference = await execute({ schema: echo, document, variableValues: variables });
            const request = { document, request: { variables }, context: {} } as unknown as GatewayGraphQLRequestContext;
            const answer = await compiled(request);
            expect([field, variables, answer.errors?.map((e) => e.message)]).toEqual([field, variables, reference.errors?.map((e) => e.message)]);
            expect([field, variables, answer.data]).toEqual([field, variables, reference.data]);
          }),
          { numRuns: 100 },
        );
      }
    }
  });
});
