import { createChild, createCounty } from '../factories';
import { errorCode, startHub, type Hub } from '../support/harness';

describe('HTTP surface', () => {
  let hub: Hub;
  let base: string;
  beforeAll(async () => {
    hub = await startHub({ RATE_LIMIT_PER_MINUTE: '600', MAX_BODY_SIZE: '2mb' });
    base = hub.url.replace(/\/graphql$/, '');
    await createCounty(hub);
  });
  afterAll(() => hub.stop());

  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('refuses a cross-site form post (CSRF prevention)', async () => {
    const res = await fetch(hub.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ me { sub } }"}' });
    expect(res.status).toBe(400);
  });

  it('refuses a body over the size limit', async () => {
    const token = hub.token('NPOL', ['PRACTITIONER']);
    const res = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { sub } }', variables: { padding: 'x'.repeat(3 * 1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { errors: Array<{ message: string; extensions: { code: string; field: string } }> };
    expect(body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'body' });
    expect(body.errors[0].message).toMatch(/larger than this hub accepts/);
  });

  it('answers a body that is not JSON with a code, not a framework page', async () => {
    const res = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.token('NPOL', ['PRACTITIONER'])}` },
      body: '{"query": "{ me { sub } }"',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT', field: 'body' } }] });
  });

  it('echoes a request id for support', async () => {
    const res = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.token('NPOL', ['PRACTITIONER'])}`, 'x-request-id': 'support-ticket-42' },
      body: JSON.stringify({ query: '{ me { sub } }' }),
    });
    expect(res.headers.get('x-request-id')).toBe('support-ticket-42');
    expect(res.headers.get('cache-control')).toBe('no-store');
    // An entity tag would only fingerprint what was shown (and cost a hash of every answer).
    expect(res.headers.get('etag')).toBeNull();
  });

  it('gives field-level BAD_USER_INPUT for a bad search', async () => {
    const token = hub.token('NSCHOOL', ['PRACTITIONER']);
    const query = 'query($input: ChildSearchInput!) { searchChildren(input: $input) { edges { node { id } } } }';
    const bad = await hub.gql(query, { input: { nhsNumber: '9434765918' } }, token);
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].extensions?.field).toBe('input.nhsNumber');
    const badUpn = await hub.gql(query, { input: { upn: 'A12345678901X' } }, token);
    expect(badUpn.errors?.[0].extensions?.field).toBe('input.upn');
    const empty = await hub.gql(query, { input: {} }, token);
    expect(empty.errors?.[0].extensions?.field).toBe('input');
    const page = await hub.gql('{ searchChildren(input: {name: "ab"}, first: 1000) { edges { node { id } } } }', {}, token);
    expect(page.errors?.[0].extensions?.field).toBe('first');
  });

  it('requires a purpose for content reads, naming the field', async () => {
    const child = await createChild(hub);
    const token = hub.token('NSCHOOL', ['PRACTITIONER']);
    const short = await hub.gql(`{ child(id: "${child.id}") { records(purpose: { reason: "short" }) { totalCount } } }`, {}, token);
    expect(errorCode(short)).toBe('BAD_USER_INPUT');
    expect(short.errors?.[0].extensions?.field).toBe('purpose.reason');
    const none = await hub.gql(`{ child(id: "${child.id}") { records(purpose: {}) { totalCount } } }`, {}, token);
    expect(none.errors?.[0].extensions?.field).toBe('purpose');
    // Text the audit trail could not store is refused here, not when the read is recorded.
    const records = `query($reason: String!) { child(id: "${child.id}") { records(purpose: { reason: $reason }) { totalCount } } }`;
    for (const reason of ['a NUL \u0000 in the reason', 'half a pair \ud800 in the reason']) {
      const unstorable = await hub.gql(records, { reason }, token);
      expect(errorCode(unstorable)).toBe('BAD_USER_INPUT');
      expect(unstorable.errors?.[0].extensions?.field).toBe('purpose.reason');
    }
    const accepted = await hub.gql(records, { reason: 'a whole pair \ud83d\ude00 in the reason' }, token);
    expect(accepted.errors).toBeUndefined();
  });

  it('masks unexpected errors and keeps the stable codes', async () => {
    const res = await hub.gql('{ child(id: "not-a-uuid") { id } }', {}, hub.token('NSCHOOL', ['PRACTITIONER']));
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ child: null });
  });

  it('refuses ADMIN-only operations to others', async () => {
    const mutation = 'mutation { upsertAgency(input: {code: "NFIRE", name: "Northshire Fire", kind: OTHER}) { code } }';
    expect(errorCode(await hub.gql(mutation, {}, hub.token('NPOL', ['MANAGER'])))).toBe('FORBIDDEN');
    const ok = await hub.gql(mutation, {}, hub.token('NCSC', ['ADMIN']));
    expect(ok.data).toEqual({ upsertAgency: { code: 'NFIRE' } });
    const bad = await hub.gql('mutation { upsertAgency(input: {code: "x", name: "", kind: OTHER}) { code } }', {}, hub.token('NCSC', ['ADMIN']));
    expect(bad.errors?.[0].extensions?.problems).toEqual([
      { field: 'input.code', message: expect.any(String) },
      { field: 'input.name', message: expect.any(String) },
    ]);
  });
});

describe('rate limit', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub({ RATE_LIMIT_PER_MINUTE: '8' });
    await createCounty(hub);
  });
  afterAll(() => hub.stop());

  it('answers RATE_LIMITED once a caller exceeds the limit', async () => {
    const token = hub.token('NPOL', ['PRACTITIONER'], 'busy-officer');
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 5; i += 1) codes.push(errorCode(await hub.gql('{ me { sub } }', {}, token)));
    expect(codes.slice(0, 2)).toEqual([undefined, undefined]);
    expect(codes).toContain('RATE_LIMITED');
    expect(errorCode(await hub.gql('{ me { sub } }', {}, hub.token('NPOL', ['PRACTITIONER'], 'other-officer')))).toBeUndefined();
  });
});
