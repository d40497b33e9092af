import 'reflect-metadata';
import { getMetadataStorage } from 'type-graphql';
import { getSchema } from './schema';

/**
 * Types declared with `simpleResolvers` are answered by plain property reads, without
 * type-graphql's per-field wrapper: a wrapper that only runs field middlewares and role gates.
 * That is safe only while none of their fields has either, which this keeps true.
 */
describe('object types with simple resolvers', () => {
  it('have no field with a role gate or middleware of its own', async () => {
    await getSchema();
    const storage = getMetadataStorage();
    const simple = new Set(storage.objectTypes.filter((type) => type.simpleResolvers).map((type) => type.target));
    expect(simple.size).toBeGreaterThan(0);
    const gated = [...storage.authorizedFields, ...storage.middlewares].filter((field) => simple.has(field.target));
    expect(gated.map((field) => `${field.target.name}.${field.fieldName}`)).toEqual([]);
  });
});
