/**
 * The compiled executor (GRAPHQL_EXECUTOR=compiled, graphql-jit, the default) answers exactly as
 * the reference one (graphql-js, Apollo's own path) does: the same HTTP status and the same JSON,
 * key for key and in the same order, for data, fragments, directives, operation selection, refused
 * variables, errors and refusals. Two servers share one database; every request here is a read, so
 * both see the same state whichever answers first.
 */
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../src/logger';
import { createHubServer, type HubServer } from '../../src/server/app';
import { AuditWriter } from '../../src/modules/audit/audit-writer';
import { loadConfig } from '../../src/config';
import { DEFAULT_RUNS_BEFORE_COMPILING as RUNS_BEFORE_COMPILING } from '../../src/graphql/executor';
import { createAgency, createChild, createConsent, createCounty, createOpenEnquiry, createRecord } from '../factories';
import { startHub, type Hub } from '../support/harness';

const PURPOSE = '{ reason: "Comparing the two executors for the front door" }';

interface Answer {
  status: number;
  /** The raw body text, as the client receives it. */
  text: string;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> } & Record<string, unknown>> };
}

interface Request {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

async function post(url: string, request: Request, token: string | undefined): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(request),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Answer['body'] };
}

describe('executors: compiled (graphql-jit) and reference (graphql-js) answer alike', () => {
  let hub: Hub;
  let reference: { server: HubServer; auditWriter: AuditWriter; url: string };
  let childId: string;
  let shieldedId: string;
  let ownRecordId: string;
  let consentedRecordId: string;
  let flaggedRecordId: string;
  let police: string;

  beforeAll(async () => {
    // Named here, so a run of the whole suite under GRAPHQL_EXECUTOR=reference still compares the two.
    hub = await startHub({ GRAPHQL_EXECUTOR: 'compiled', GRAPHQL_COMPILE_AFTER_RUNS: String(RUNS_BEFORE_COMPILING) });
    const logger = createLogger(hub.config.logLevel);
    const auditWriter = new AuditWriter(hub.dataSource);
    const server = await createHubServer({ config: { ...hub.config, executor: 'reference' }, dataSource: hub.dataSource, logger, auditWriter });
    const http = await server.listen(0);
    reference = { server, auditWriter, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql` };

    const county = await createCounty(hub);
    // A housing agency that holds nothing about anyone (its INTEGRATION account sees no child).
    await createAgency(hub, { code: 'NHOUSE', name: 'Northshire Housing', kind: 'HOUSING' });
    const child = await createChild(hub, { givenName: 'Ada', familyName: 'Differson', dateOfBirth: '2015-03-09' });
    childId = child.id;
    ownRecordId = (await createRecord(hub, { agencyId: county.police.id, childId }, { category: 'POLICE_INCIDENT', summary: 'Police attended a disturbance' })).id;
    consentedRecordId = (await createRecord(hub, { agencyId: county.health.id, childId }, { category: 'HEALTH_CONTACT', summary: 'Health visitor contact' })).id;
    flaggedRecordId = (await createRecord(hub, { agencyId: county.school.id, childId }, { category: 'ATTENDANCE', summary: 'Attendance below 80%' })).id;
    // Extra police records so the records list has more than one page.
    for (let i = 0; i < 3; i += 1) await createRecord(hub, { agencyId: county.police.id, childId }, { category: 'MISSING_EPISODE' });
    // The police hold consent for health contacts only: the school's attendance record is a FLAG.
    await createConsent(hub, { childId, recordedByAgencyId: county.social.id, recipientAgencyCodes: ['NPOL'] }, { categories: ['HEALTH_CONTACT'] });
    await createOpenEnquiry(hub, { childIds: [childId], openedByAgencyId: county.social.id });
    // Siblings by name, for a search with more than one page.
    for (const givenName of ['Bea', 'Cal', 'Dot']) await createChild(hub, { givenName, familyName: 'Differson' });
    // A shielded child nobody holds anything about: name, age and gender only.
    shieldedId = (await createChild(hub, { givenName: 'Eve', familyName: 'Hiddenham', shielded: true })).id;
    police = hub.token('NPOL', ['PRACTITIONER'], 'officer-exec');
  });

  afterAll(async () => {
    await reference?.server.stop();
    await reference?.auditWriter.close();
    await hub?.stop();
  });

  /**
   * Development servers (NODE_ENV=test here) put a stack trace in each error's extensions
   * (includeStacktraceInErrorResponses; production answers carry none). Below the code that threw,
   * its frames are the executing library's own, so they necessarily name graphql-js in one answer
   * and graphql-jit (and executor.ts) in the other. Only those frames are set aside: the trace's
   * first line (the error's class and message) and the project's own frames down to the first
   * library frame (where the error was thrown, and through which calls) are kept and compared.
   */
  function normalised(body: Answer['body']): Answer['body'] {
    const ownFrames = (trace: string[]): string[] => {
      const end = trace.findIndex((line, i) => i > 0 && /node_modules|\(node:|at node:/.test(line));
      return end === -1 ? trace : trace.slice(0, end);
    };
    return JSON.parse(JSON.stringify(body), (key, value: unknown) =>
      key === 'stacktrace' && Array.isArray(value) ? ownFrames(value as string[]) : value,
    ) as Answer['body'];
  }

  /** Sends the same request with the same token to both servers and asserts the answers match. */
  /**
   * Sends the same request with the same token to both servers and asserts the answers match. The
   * compiled server is asked RUNS_BEFORE_COMPILING + 1 times: it leaves the first runs of an
   * operation to graphql-js and compiles it for the last, and both kinds of answer are compared.
   */
  async function alike(request: Request, token: string | null = police): Promise<Answer> {
    const ref = await post(reference.url, request, token ?? undefined);
    const compiledAnswers: Answer[] = [];
    for (let run = 0; run <= RUNS_BEFORE_COMPILING; run += 1) compiledAnswers.push(await post(hub.url, request, token ?? undefined));
    const compiled = compiledAnswers[compiledAnswers.length - 1];
    for (const answer of [compiledAnswers[0], compiled]) {
      expect(answer.status).toBe(ref.status);
      const [c, r] = [normalised(answer.body), normalised(ref.body)];
      // Deep equality, for a readable difference (not toStrictEqual: its type check reads a key named
      // "constructor" as the object's class, and two equal answers would then differ)...
      expect(c).toEqual(r);
      // ...and the same keys in the same order, which toEqual does not look at.
      expect(JSON.stringify(c)).toBe(JSON.stringify(r));
    }
    return compiled;
  }

  const PORTAL = `query Portal($id: ID!) {
    child(id: $id) {
      givenName familyName ageYears dateOfBirth
      records(purpose: ${PURPOSE}, first: 20) {
        totalCount
        edges { node { id category occurredAt visibility summary agency { code } } }
      }
      chronology(purpose: ${PURPOSE}, first: 20) {
        totalCount
        edges { node { kind occurredAt summary visibility category agency { code } provenance { kind id } record { id visibility summary detail } } }
      }
    }
  }`;

  it('runs the compiled executor by default, and each server really runs the executor it names', async () => {
    expect(hub.config.executor).toBe('compiled');
    expect(loadConfig({}).executor).toBe('compiled');
    // The frames below a resolver's error name the library that called the resolver.
    const traceOf = async (url: string): Promise<string> => {
      const answer = await post(url, { query: '{ verifyAuditChain { ok } }' }, police);
      return JSON.stringify(answer.body.errors?.[0].extensions?.stacktrace);
    };
    // An operation's first runs are graphql-js's; the one after them is the compiled form's.
    for (let run = 1; run <= RUNS_BEFORE_COMPILING; run += 1) {
      const early = await traceOf(hub.url);
      expect(early).toMatch(/graphql\/execution\/execute/);
      expect(early).not.toMatch(/graphql-jit/);
    }
    const [compiled, ref] = await Promise.all([traceOf(hub.url), traceOf(reference.url)]);
    expect(compiled).toMatch(/graphql-jit/);
    expect(compiled).not.toMatch(/graphql\/execution\/execute/);
    expect(ref).toMatch(/graphql\/execution\/execute/);
    expect(ref).not.toMatch(/graphql-jit/);
  });

  it("answers a police practitioner's portal query alike: FULL (own, consented) and FLAG records, and the chronology", async () => {
    const answer = await alike({ query: PORTAL, variables: { id: childId } });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    const child = answer.body.data?.child as {
      givenName: string;
      dateOfBirth: string;
      records: { totalCount: number; edges: Array<{ node: { id: string; visibility: string; summary: string | null } }> };
      chronology: { totalCount: number; edges: Array<{ node: { kind: string } }> };
    };
    expect(child.givenName).toBe('Ada');
    expect(child.dateOfBirth).toBe('2015-03-09');
    expect(child.records.totalCount).toBe(6);
    const byId = new Map(child.records.edges.map((e) => [e.node.id, e.node]));
    expect(byId.get(ownRecordId)).toMatchObject({ visibility: 'FULL', summary: 'Police attended a disturbance' });
    expect(byId.get(consentedRecordId)).toMatchObject({ visibility: 'FULL', summary: 'Health visitor contact' });
    expect(byId.get(flaggedRecordId)).toMatchObject({ visibility: 'FLAG', summary: null });
    expect(child.chronology.totalCount).toBeGreaterThanOrEqual(6);
    expect(child.chronology.edges.map((e) => e.node.kind)).toContain('RECORD');
  });

  it('answers named fragments, inline fragments, __typename at several levels and aliases alike', async () => {
    const query = `
      query Shapes($id: ID!) {
        __typename
        kid: child(id: $id) { ...ChildParts ... on Child { __typename theId: id } }
        me { __typename ... on Viewer { sub agency { __typename code } } roles }
      }
      fragment ChildParts on Child {
        __typename
        first: givenName
        records(purpose: ${PURPOSE}, first: 3) { __typename ...Page }
      }
      fragment Page on SharedRecordConnection {
        totalCount
        pageInfo { __typename hasNextPage }
        edges { __typename node { __typename ... on SharedRecord { id visibility } agency { ... on Agency { code kind } } } }
      }`;
    const answer = await alike({ query, variables: { id: childId } });
    expect(answer.body.errors).toBeUndefined();
    const data = answer.body.data as { __typename: string; kid: Record<string, unknown> & { records: { edges: unknown[] } } };
    expect(data.__typename).toBe('Query');
    expect(data.kid).toMatchObject({ __typename: 'Child', theId: childId, first: 'Ada', records: { __typename: 'SharedRecordConnection', totalCount: 6 } });
    expect(data.kid.records.edges).toHaveLength(3);
  });

  it('answers the same field selected in two places (merged), content in only one of them, alike', async () => {
    // The resolvers load record content by what info.fieldNodes selects: both executors must hand them every node.
    const query = `query Merged($id: ID!) {
      child(id: $id) { records(purpose: ${PURPOSE}) { totalCount } }
      ... on Query { child(id: $id) { ...Detail } }
    }
    fragment Detail on Child { records(purpose: ${PURPOSE}) { edges { node { id detail sourceRef } } } }`;
    const answer = await alike({ query, variables: { id: childId } });
    expect(answer.body.errors).toBeUndefined();
    const edges = (answer.body.data?.child as { records: { totalCount: number; edges: Array<{ node: { id: string; detail: string | null } }> } }).records;
    expect(edges.totalCount).toBe(6);
    expect(edges.edges.find((e) => e.node.id === ownRecordId)?.node.detail).toMatch(/^Detail of record/);
  });

  it('answers aliases named like Object.prototype members as plain keys, alike', async () => {
    const query = `query Members($id: ID!) {
      child(id: $id) { constructor: givenName toString: ageYears hasOwnProperty: id valueOf: gender isPrototypeOf: familyName }
      constructor: me { constructor: sub toString: roles }
    }`;
    const answer = await alike({ query, variables: { id: childId } });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    const child = answer.body.data?.child as Record<string, unknown>;
    expect(Object.keys(child)).toEqual(['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf']);
    expect(child).toEqual({ constructor: 'Ada', toString: expect.any(Number), hasOwnProperty: childId, valueOf: 'FEMALE', isPrototypeOf: 'Differson' });
    expect(Object.keys(answer.body.data ?? {})).toEqual(['child', 'constructor']);
    expect(answer.text).toContain('"constructor":{"constructor":"officer-exec","toString":["PRACTITIONER"]}');
  });

  it('answers __proto__ as an alias, on scalar, object and list fields, as a plain key, alike', async () => {
    // GraphQL names may begin with underscores, and validation accepts this alias: graphql-js answers it as a key.
    const query = `query Proto($id: ID!) {
      child(id: $id) {
        __proto__: familyName
        givenName
        records(purpose: ${PURPOSE}, first: 1) { __proto__: pageInfo { hasNextPage } totalCount }
        ids: localIdentifiers { agencyCode }
      }
      alsoChild: child(id: $id) { __proto__: localIdentifiers { agencyCode } id }
      __proto__: me { __proto__: sub }
    }`;
    // Both servers run in this process: neither may have written onto the shared prototypes.
    const prototypeKeys = (): string[][] => [Object.getOwnPropertyNames(Object.prototype), Object.getOwnPropertyNames(Array.prototype)];
    const before = prototypeKeys();
    await Promise.all([post(hub.url, { query, variables: { id: childId } }, police), post(reference.url, { query, variables: { id: childId } }, police)]);
    expect(prototypeKeys()).toEqual(before);
    const answer = await alike({ query, variables: { id: childId } });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    // JSON.parse makes "__proto__" an own key, so these see the keys as sent.
    const child = answer.body.data?.child as Record<string, unknown>;
    expect(Object.keys(child)).toEqual(['__proto__', 'givenName', 'records', 'ids']);
    expect(Object.getOwnPropertyDescriptor(child, '__proto__')?.value).toBe('Differson');
    expect(answer.text).toContain('"child":{"__proto__":"Differson","givenName":"Ada","records":{"__proto__":{"hasNextPage":true},"totalCount":6}');
    expect(answer.text).toContain('"alsoChild":{"__proto__":[],"id":');
    expect(answer.text).toContain('"__proto__":{"__proto__":"officer-exec"}');
  });

  it('reads a variable named __proto__ as the value sent, alike', async () => {
    const query = `query ProtoVariable($__proto__: ID!) { child(id: $__proto__) { id givenName } }`;
    const answer = await alike({ query, variables: JSON.parse(`{"__proto__":"${childId}"}`) as Record<string, unknown> });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.child).toEqual({ id: childId, givenName: 'Ada' });
  });

  it.each([
    [true, false],
    [false, true],
    [true, true],
    [false, false],
  ])('answers @skip(if: %s) and @include(if: %s) driven by variables alike', async (skip, include) => {
    const query = `query Directives($id: ID!, $skip: Boolean!, $include: Boolean!) {
      child(id: $id) {
        givenName @skip(if: $skip)
        familyName @include(if: $include)
        ... on Child @include(if: $include) { ageYears }
        ...Dob @skip(if: $skip)
        records(purpose: ${PURPOSE}, first: 2) @include(if: $include) { totalCount }
      }
    }
    fragment Dob on Child { dateOfBirth }`;
    const answer = await alike({ query, variables: { id: childId, skip, include } });
    expect(answer.body.errors).toBeUndefined();
    const child = answer.body.data?.child as Record<string, unknown>;
    expect('givenName' in child).toBe(!skip);
    expect('dateOfBirth' in child).toBe(!skip);
    expect('familyName' in child).toBe(include);
    expect('ageYears' in child).toBe(include);
    expect('records' in child).toBe(include);
  });

  const TWO_OPERATIONS = `
    query Names($id: ID!) { child(id: $id) { givenName familyName } }
    query Whoami { me { sub agency { code } } }`;

  it.each(['Names', 'Whoami'])('selects operation %s by operationName alike', async (operationName) => {
    const answer = await alike({ query: TWO_OPERATIONS, variables: { id: childId }, operationName });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(Object.keys(answer.body.data ?? {})).toEqual([operationName === 'Names' ? 'child' : 'me']);
  });

  it.each([
    ['missing', undefined],
    ['unknown', 'Nobody'],
  ])('refuses a %s operationName alike', async (_, operationName) => {
    const answer = await alike({ query: TWO_OPERATIONS, variables: { id: childId }, operationName });
    expect(answer.status).toBe(400);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors?.[0].message).toMatch(operationName ? /Unknown operation named "Nobody"/ : /Must provide operation name/);
  });

  const VARIABLES = `query Vars($id: ID!, $first: Int, $input: ChildSearchInput!) {
    child(id: $id) { records(purpose: ${PURPOSE}, first: $first) { totalCount } }
    searchChildren(input: $input) { edges { node { id } } }
  }`;

  it.each<[string, Record<string, unknown>]>([
    ['wrong type', { id: 'x', first: 'ten', input: { familyName: 'Differson' } }],
    ['missing required variable', { first: 2, input: { familyName: 'Differson' } }],
    ['unknown input field', { id: 'x', input: { familyName: 'Differson', shoeSize: 4 } }],
    ['null for non-null', { id: null, input: { familyName: 'Differson' } }],
    ['null for a non-null input', { id: 'x', input: null }],
    ['an object for a scalar', { id: { nested: true }, input: { familyName: 'Differson' } }],
  ])('refuses bad variables (%s) with the same message and BAD_USER_INPUT', async (_, variables) => {
    const before = await hub.sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_event');
    const answer = await alike({ query: VARIABLES, variables });
    expect(answer.status).toBe(400);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors?.length).toBeGreaterThan(0);
    for (const error of answer.body.errors ?? []) {
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(/^Variable "\$\w+"/);
    }
    // Refused before any resolver ran, by either server: nothing was read, so nothing was audited.
    const after = await hub.sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_event');
    expect(after[0].n).toBe(before[0].n);
  });

  it('coerces variables alike: defaults, a single value for a list, enums and dates in an input', async () => {
    const query = `query Filtered($id: ID!, $first: Int = 2, $filter: RecordFilter) {
      child(id: $id) { records(purpose: ${PURPOSE}, first: $first, filter: $filter) { totalCount edges { node { category agency { code } } } } }
    }`;
    const filter = { agencyCodes: 'NPOL', categories: 'MISSING_EPISODE', from: '2020-01-01T00:00:00Z' };
    const answer = await alike({ query, variables: { id: childId, filter } });
    expect(answer.body.errors).toBeUndefined();
    const records = (answer.body.data?.child as { records: { totalCount: number; edges: Array<{ node: { category: string } }> } }).records;
    expect(records.totalCount).toBe(3);
    expect(records.edges).toHaveLength(2);
    expect(records.edges.every((e) => e.node.category === 'MISSING_EPISODE')).toBe(true);
    const unfiltered = await alike({ query, variables: { id: childId } });
    expect((unfiltered.body.data?.child as { records: { totalCount: number } }).records.totalCount).toBe(6);
  });

  it('answers null alike for a child that does not exist, is not a uuid, or is hidden from the caller', async () => {
    const query = `query Missing($absent: ID!, $hidden: ID!) {
      absent: child(id: $absent) { id }
      malformed: child(id: "not-a-uuid") { id }
      hidden: child(id: $hidden) { id givenName }
      shielded: child(id: "${shieldedId}") { givenName dateOfBirth address detailsWithheld }
    }`;
    const variables = { absent: '00000000-0000-4000-8000-000000000000', hidden: childId };
    // INTEGRATION for the housing agency, which holds nothing about the child: the child is hidden.
    const integration = hub.token('NHOUSE', ['INTEGRATION'], 'svc-housing');
    const answer = await alike({ query, variables }, integration);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toMatchObject({ absent: null, malformed: null, hidden: null, shielded: null });

    const asPolice = await alike({ query, variables });
    expect(asPolice.body.data).toMatchObject({ absent: null, malformed: null, hidden: { id: childId, givenName: 'Ada' } });
    expect(asPolice.body.data?.shielded).toEqual({ givenName: 'Eve', dateOfBirth: null, address: null, detailsWithheld: true });
  });

  it('withholds record content from a DPO alike', async () => {
    const query = `query Dpo($id: ID!, $record: ID!) {
      record(id: $record, purpose: ${PURPOSE}) { id summary detail }
      child(id: $id) { givenName address records(purpose: ${PURPOSE}) { totalCount edges { node { id summary } } } }
    }`;
    const answer = await alike({ query, variables: { id: childId, record: ownRecordId } }, hub.token('NPOL', ['DPO'], 'dpo-exec'));
    expect(answer.body.data?.record).toBeNull();
    expect(JSON.stringify(answer.body.data)).not.toMatch(/Police attended|Detail of record/);
  });

  it.each([
    ['auditEvents', '{ auditEvents(first: 5) { edges { node { id } } } }', 'the audit trail is read by DPOs'],
    ['verifyAuditChain', '{ verifyAuditChain { ok } }', 'the audit chain is verified'],
    ['enquiries', '{ enquiries(first: 5) { edges { node { id } } } }', 'front-door enquiries are worked by'],
    ['frontDoorMetrics', '{ frontDoorMetrics(from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z") { __typename } }', 'front-door metrics'],
  ])('refuses a practitioner %s alike (FORBIDDEN)', async (_, query, message) => {
    const answer = await alike({ query });
    expect(answer.status).toBe(200);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(answer.body.errors?.[0].message).toContain(message);
  });

  it('answers a forbidden field beside allowed ones alike: partial data, one error with its path', async () => {
    const query = `{ me { sub } agencies { code } verifyAuditChain { ok } }`;
    const answer = await alike({ query });
    expect(answer.body.data).toBeNull(); // verifyAuditChain is non-null, so the whole data goes
    expect(answer.body.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', ['verifyAuditChain']]]);
    const nullable = await alike({ query: `query Nullable($id: ID!) { me { sub } child(id: $id) { givenName records(purpose: { reason: "short" }) { totalCount } } }`, variables: { id: childId } });
    expect(nullable.body.data).toEqual({ me: { sub: 'officer-exec' }, child: null });
    expect(nullable.body.errors?.[0]).toMatchObject({ path: ['child', 'records'], extensions: { code: 'BAD_USER_INPUT', field: 'purpose.reason' } });
  });

  it('refuses an unauthenticated request, and one with a bad token, alike', async () => {
    const query = `{ me { sub } }`;
    for (const token of [null, 'not-a-token']) {
      const answer = await alike({ query }, token);
      expect(answer.status).toBe(401);
      expect(answer.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(answer.body.data ?? null).toBeNull();
    }
  });

  it('answers a search, and its next page, alike', async () => {
    const query = `query Search($input: ChildSearchInput!, $first: Int, $after: String) {
      searchChildren(input: $input, first: $first, after: $after) {
        edges { cursor node { id givenName familyName detailsWithheld } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 4; page += 1) {
      const answer = await alike({ query, variables: { input: { familyName: 'Differson' }, first: 1, after } });
      expect(answer.body.errors).toBeUndefined();
      const connection = answer.body.data?.searchChildren as { edges: Array<{ node: { id: string; familyName: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      expect(connection.edges).toHaveLength(1);
      expect(connection.edges[0].node.familyName).toBe('Differson');
      seen.push(connection.edges[0].node.id);
      expect(connection.pageInfo.hasNextPage).toBe(page < 3);
      after = connection.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(4);
    expect(seen).toContain(childId);
  });

  it("pages a child's records (first/after) alike, to the end", async () => {
    const query = `query Records($id: ID!, $first: Int, $after: String) {
      child(id: $id) {
        records(purpose: ${PURPOSE}, first: $first, after: $after) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { cursor node { id visibility occurredAt } }
        }
      }
    }`;
    const ids: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page += 1) {
      const answer = await alike({ query, variables: { id: childId, first: 2, after } });
      expect(answer.body.errors).toBeUndefined();
      const records = (answer.body.data?.child as { records: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: { id: string } }> } }).records;
      expect(records.totalCount).toBe(6);
      expect(records.edges).toHaveLength(2);
      expect(records.pageInfo.hasNextPage).toBe(page < 2);
      ids.push(...records.edges.map((e) => e.node.id));
      after = records.pageInfo.endCursor;
    }
    expect(new Set(ids).size).toBe(6);
    // A cursor that is not one of ours is refused alike.
    const bad = await alike({ query, variables: { id: childId, first: 2, after: 'garbage' } });
    expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
