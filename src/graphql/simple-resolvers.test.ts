import 'reflect-metadata';
import { getMetadataStorage } from 'type-graphql';
import { getSchema } from './schema';

/**
 * Types declared with `simpleResolvers` are answered by plain property reads, without
 * type-graphql's per-field wrapper: a wrapper that only runs middlewares and role gates. That is
 * safe only while none of their fields has either, from the field, its class or the schema's
 * global middlewares, which this keeps true.
 */
describe('object types with simple resolvers', () => {
  it('have no field with a role gate or middleware, however declared', async () => {
    await getSchema();
    const storage = getMetadataStorage();
    const simple = storage.objectTypes.filter((type) => type.simpleResolvers);
    expect(simple.length).toBeGreaterThan(0);
    // The schema is built, so each field carries the roles and middlewares that apply to it.
    const fields = simple.flatMap((type) => type.fields ?? []);
    expect(fields.length).toBeGreaterThan(0);
    const gated = fields.filter((field) => (field.roles?.length ?? 0) > 0 || (field.middlewares?.length ?? 0) > 0);
    expect(gated.map((field) => `${field.target.name}.${field.name}`)).toEqual([]);
  });
});
