import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { decideChild, decideRecord, decideRecordsOfChild } from '../policy';
import { mayShowLocalIdentifier, maySeeSharingArrangements } from '../policy/sharing';
import { matchCandidateView } from '../policy/ingest';
import type { ChildDecision, ChildFacts, PolicyViewer, RecordDecision } from '../policy/types';
import type { AuditEntry } from '../modules/audit/audit-writer';
import { loadChildrenWithFacts, type ChildWithFacts } from './facts-loader';
import { ageInYears, type ChildRow } from './child-store';
import {
  ALL_CONTENT_PARTS, agenciesById, contentKey, contentPartsKey, recordContent, recordMetaByChild, recordMetaByIds,
  type AgencyRef, type ContentPart, type RecordContent, type RecordMeta,
} from './record-store';
import { newestFirst, pageByKey, pageByPosition, type Page, type PageArgs } from './pagination';
import type { Purpose } from './purpose';
import { badField } from '../server/errors';
import { releaseEvents, type ReleaseAction, type Released } from './release-audit';
import type { ChildView, RecordView } from './views';

export interface RecordFilterArgs {
  readonly agencyCodes?: readonly string[] | null;
  readonly categories?: readonly string[] | null;
  readonly from?: Date | null;
  readonly to?: Date | null;
}

/**
 * What a caller about to show released records will not use. A loading hint only: the policy's
 * decision is the same either way, and a view built without a part holds null for it.
 */
export interface ReleaseOptions {
  /** The parts of the content that will be shown (the summary always comes); by default all. */
  readonly contentParts?: ReadonlySet<ContentPart>;
}

/** A record with the policy's decision on it, before content is attached. */
export interface DecidedRecord {
  readonly meta: RecordMeta;
  readonly decision: Exclude<RecordDecision, { visibility: 'HIDDEN' }>;
}

function agencyOf(agencies: Map<string, AgencyRef>, id: string): AgencyRef {
  const agency = agencies.get(id);
  if (!agency) throw new Error(`agency ${id} of a record is not in the agency list`);
  return agency;
}

function orderedBy<K, V>(keys: readonly K[], found: Map<K, V>, missing: V): V[] {
  return keys.map((key) => found.get(key) ?? missing);
}

/**
 * The only door to record data. Per request: facts are loaded in batches (DataLoaders made
 * for this request alone), the pure policy decides, this class shapes what leaves the server
 * and queues one audit entry for each thing released or refused.
 */
export class AccessLayer {
  private readonly children: DataLoader<string, ChildWithFacts>;
  private readonly childrenWithRecords: DataLoader<string, ChildWithFacts>;
  private readonly recordsOfChild: DataLoader<string, RecordMeta[]>;
  private readonly recordById: DataLoader<string, RecordMeta | null>;
  /** One loader for each set of content parts asked for in this request. */
  private readonly content = new Map<number, DataLoader<string, RecordContent | null>>();
  private readonly enquiryChildren: DataLoader<string, string[] | null>;

  constructor(
    private readonly manager: EntityManager,
    readonly viewer: PolicyViewer,
    readonly now: Date,
    private readonly audit: AuditEntry[],
    /** The agencies by id, holding at least the ids given; by default read from the database each time. */
    private readonly agencyList: (mustInclude: readonly string[]) => Promise<Map<string, AgencyRef>> = () => agenciesById(manager),
  ) {
    this.children = new DataLoader(async (ids) => {
      const loaded = await loadChildrenWithFacts(manager, viewer, ids);
      return ids.map((id) => loaded.get(id) ?? new Error(`facts for child ${id} were not loaded`));
    });
    this.recordsOfChild = new DataLoader(async (ids) => orderedBy(ids, await recordMetaByChild(manager, ids), []));
    // Facts and record metadata in one statement, for a child whose records are about to be paged.
    this.childrenWithRecords = new DataLoader(async (ids) => {
      const loaded = await loadChildrenWithFacts(manager, viewer, ids, { withRecords: true });
      return ids.map((id) => {
        const item = loaded.get(id);
        if (!item) return new Error(`facts for child ${id} were not loaded`);
        this.children.prime(id, item);
        this.recordsOfChild.prime(id, item.records ?? []);
        return item;
      });
    });
    this.recordById = new DataLoader(async (ids) => orderedBy(ids, await recordMetaByIds(manager, ids), null));
    this.enquiryChildren = new DataLoader(async (ids) => {
      const rows: Array<{ id: string; children: string[] }> = await manager.query(
        `SELECT e.id, coalesce(array_agg(ec.child_id::text) FILTER (WHERE ec.child_id IS NOT NULL), '{}') AS children
         FROM enquiry e LEFT JOIN enquiry_child ec ON ec.enquiry_id = e.id WHERE e.id = ANY($1::uuid[]) GROUP BY e.id`,
        [ids],
      );
      const found = new Map(rows.map((r) => [r.id, r.children]));
      return ids.map((id) => found.get(id) ?? null);
    });
  }

  /**
   * A stated enquiry must be real and about the child being read, so the audit trail's purpose
   * is one that can be checked (Information sharing advice 2024: record why you shared). Checked
   * here for every release; callers that record a purpose without releasing a record (a page of
   * front-door steps, an access request) check it themselves.
   */
  async checkPurpose(purpose: Purpose, childIds: readonly string[]): Promise<void> {
    if (!purpose.enquiryId) return;
    const children = await this.enquiryChildren.load(purpose.enquiryId.toLowerCase());
    if (!children) throw badField('purpose.enquiryId', 'is not an enquiry');
    if (childIds.some((id) => !children.includes(id))) throw badField('purpose.enquiryId', 'is an enquiry about another child');
  }

  /** The agencies, including those of the given records. */
  private agencies(metas: readonly RecordMeta[]): Promise<Map<string, AgencyRef>> {
    return this.agencyList([...new Set(metas.map((meta) => meta.agencyId))]);
  }

  /** Facts for a child, loaded with every other child asked about in the same tick. */
  async factsFor(childId: string): Promise<ChildFacts> {
    return (await this.children.load(childId)).facts;
  }

  async childDecision(childId: string): Promise<{ row: ChildRow; decision: ChildDecision } | null> {
    const { row, facts } = await this.children.load(childId);
    if (!row) return null;
    return { row, decision: decideChild(this.viewer, row, facts, this.now) };
  }

  /**
   * A child's details as this viewer may see them; null when absent or not visible. With
   * `withRecords` (the caller is about to page the child's records) the child's record metadata
   * comes in the same statement as its facts.
   */
  async child(childId: string, action = 'CHILD_VIEW', options: { withRecords?: boolean } = {}): Promise<ChildView | null> {
    // A child merged as a duplicate answers as the survivor, which now holds all of its records.
    const merged = (await (options.withRecords ? this.childrenWithRecords : this.children).load(childId)).row?.mergedIntoId;
    if (merged) return this.child(merged, action, options);
    const decided = await this.childDecision(childId);
    if (!decided || decided.decision.view === 'HIDDEN') {
      this.audit.push({ action, outcome: 'DENIED', childId, query: { childId } });
      return null;
    }
    this.audit.push({
      action,
      outcome: decided.decision.view === 'FULL' ? 'FULL' : 'FLAG',
      childId,
      grounds: decided.decision.grounds,
    });
    return this.shapeChild(decided.row, decided.decision);
  }

  /**
   * Children found by a search, decided before paging so that a child the caller may not see
   * changes neither the page, nor hasNextPage, nor a cursor. Audited as one search with what
   * was shown.
   */
  async childrenFound(candidateIds: readonly string[], query: unknown, identifyingCriteria: boolean, page: PageArgs): Promise<Page<ChildView>> {
    const decided = await Promise.all(candidateIds.map((id) => this.childDecision(id)));
    const visible = decided.filter((item): item is NonNullable<typeof item> => {
      if (!item || item.decision.view === 'HIDDEN') return false;
      // A shielded child seen without a ground is found by name only: a match on date of birth
      // or an identifier would confirm details the shielding withholds.
      return !(item.decision.view === 'NAME_AGE_GENDER' && identifyingCriteria);
    });
    const paged = pageByPosition(visible, page);
    const nodes = paged.nodes.map((item) => this.shapeChild(item.row, item.decision));
    this.audit.push({ action: 'CHILD_SEARCH', outcome: 'OK', query, resultIds: nodes.map((v) => v.id) });
    return { ...paged, nodes };
  }

  shapeChild(row: ChildRow, decision: ChildDecision): ChildView {
    const full = decision.view === 'FULL';
    return {
      id: row.id,
      givenName: row.givenName,
      familyName: row.familyName,
      ageYears: ageInYears(row.dateOfBirth, this.now),
      gender: row.gender,
      detailsWithheld: !full,
      dateOfBirth: full ? row.dateOfBirth : null,
      nhsNumber: full ? row.nhsNumber : null,
      upn: full ? row.upn : null,
      address: decision.address ? row.address : null,
      postcode: decision.address ? row.postcode : null,
      // Said only to those who may see the child in full: for a shielded child even that an address is held is withheld.
      addressWithheld: full && !decision.address && row.address !== null,
      localIdentifiers: row.localIdentifiers.filter((id) => mayShowLocalIdentifier(this.viewer, decision, id.agencyCode)),
    };
  }

  /**
   * The policy's decision on a child as it now stands: a duplicate merged into another answers as
   * its survivor, which holds its records and whatever protected it (shielding, a refuge address).
   */
  async currentChildDecision(childId: string): Promise<{ row: ChildRow; decision: ChildDecision } | null> {
    const decided = await this.childDecision(childId);
    const survivor = decided?.row.mergedIntoId;
    return survivor ? this.childDecision(survivor) : decided;
  }

  /**
   * Forgets what this request loaded about these children, for a request that has just changed
   * them (a merge moves records, consents and bases) and then decides on them again.
   */
  forgetChildren(childIds: readonly string[]): void {
    for (const id of childIds) {
      this.children.clear(id);
      this.childrenWithRecords.clear(id);
      this.recordsOfChild.clear(id);
    }
  }

  /**
   * A suggested match for a parked item, shaped by the policy: null when it must not be shown. A
   * candidate merged since it was suggested is shown as its survivor.
   */
  async matchCandidate(childId: string, score: number): Promise<{ child: ChildView; score: number | null } | null> {
    const decided = await this.currentChildDecision(childId);
    const view = matchCandidateView(decided?.decision ?? null);
    if (!decided || view === 'OMIT') return null;
    this.audit.push({ action: 'MATCH_CANDIDATE_VIEW', outcome: decided.decision.view === 'FULL' ? 'FULL' : 'FLAG', childId, grounds: decided.decision.grounds });
    return { child: this.shapeChild(decided.row, decided.decision), score: view === 'WITH_SCORE' ? score : null };
  }

  /** Whether the viewer may see a child's consents and lawful bases. */
  async maySeeSharing(childId: string): Promise<boolean> {
    const decided = await this.childDecision(childId);
    return decided !== null && maySeeSharingArrangements(this.viewer, decided.decision);
  }

  /**
   * The policy's decision on one record for this viewer, releasing and auditing nothing: for
   * services that act on a record (an access request) rather than read it. Null when absent.
   */
  async recordDecision(recordId: string): Promise<{ meta: RecordMeta; decision: RecordDecision } | null> {
    const meta = await this.recordById.load(recordId);
    if (!meta) return null;
    return { meta, decision: decideRecord(this.viewer, meta, await this.factsFor(meta.childId), this.now) };
  }

  /**
   * Of these record ids, in the order given, those the viewer may know exist, each with how the
   * policy shows it to them (FLAG or FULL). For ids that front-door steps keep (a research answer,
   * a decision, a strategy discussion): such an id is shown only to someone the record's own
   * decision would show it to, so a step outlives nobody's sight of the records it names.
   */
  async knownRecords(ids: readonly string[]): Promise<Array<{ readonly id: string; readonly visibility: 'FLAG' | 'FULL' }>> {
    const metas = await Promise.all(ids.map((id) => this.recordById.load(id)));
    const decided = await Promise.all(metas.map(async (meta) => {
      if (!meta) return null;
      const { visibility } = decideRecord(this.viewer, meta, await this.factsFor(meta.childId), this.now);
      return visibility === 'HIDDEN' ? null : { id: meta.id, visibility };
    }));
    return decided.filter((known) => known !== null);
  }

  /**
   * Records just filed (by resolving a match) as this viewer may know them: the id of one shown
   * to them as a flag or in full, the version only in full, neither for one the policy hides.
   */
  async filedAsKnown<T extends { readonly recordId: string | null; readonly version: number | null }>(items: readonly T[]): Promise<T[]> {
    const known = new Map((await this.knownRecords(items.flatMap((item) => (item.recordId ? [item.recordId] : [])))).map((k) => [k.id, k.visibility]));
    return items.map((item) => {
      const visibility = item.recordId ? known.get(item.recordId) : undefined;
      return { ...item, recordId: visibility ? item.recordId : null, version: visibility === 'FULL' ? item.version : null };
    });
  }

  /** The ids among these that the viewer may know exist (knownRecords), in the order given. */
  async knownRecordIds(ids: readonly string[]): Promise<string[]> {
    return (await this.knownRecords(ids)).map((known) => known.id);
  }

  /** One record by id; null (and a DENIED audit row) when absent or not visible, alike. */
  async record(recordId: string, purpose: Purpose): Promise<RecordView | null> {
    const meta = await this.recordById.load(recordId);
    const decision = meta ? decideRecord(this.viewer, meta, await this.factsFor(meta.childId), this.now) : null;
    if (!meta || !decision || decision.visibility === 'HIDDEN') {
      this.audit.push({ action: 'RECORD_READ', outcome: 'DENIED', recordId, childId: meta?.childId ?? null, purpose, query: { recordId } });
      return null;
    }
    const [view] = await this.release([{ meta, decision }], purpose, 'RECORD_READ');
    return view;
  }

  /**
   * Every record of a child the viewer may know of, decided and sorted newest first; HIDDEN
   * records are dropped here, before any count or cursor is made.
   */
  async decidedRecordsOfChild(childId: string, filter: RecordFilterArgs = {}): Promise<DecidedRecord[]> {
    const [metas, facts] = await Promise.all([this.recordsOfChild.load(childId), this.factsFor(childId)]);
    const agencies = filter.agencyCodes ? await this.agencies(metas) : new Map<string, AgencyRef>();
    const filtered = filter.agencyCodes || filter.categories || filter.from || filter.to;
    const wanted = !filtered ? metas : metas.filter((meta) =>
      (!filter.agencyCodes || filter.agencyCodes.includes(agencies.get(meta.agencyId)?.code ?? '')) &&
      (!filter.categories || filter.categories.includes(meta.category)) &&
      (!filter.from || meta.occurredAt >= filter.from) &&
      (!filter.to || meta.occurredAt < filter.to));
    const decisions = decideRecordsOfChild(this.viewer, wanted, facts, this.now);
    const decided: DecidedRecord[] = [];
    wanted.forEach((meta, i) => {
      const decision = decisions[i];
      if (decision.visibility !== 'HIDDEN') decided.push({ meta, decision });
    });
    return decided;
  }

  async childRecords(childId: string, purpose: Purpose, filter: RecordFilterArgs, page: PageArgs, options: ReleaseOptions = {}): Promise<Page<RecordView>> {
    const decided = await this.decidedRecordsOfChild(childId, filter);
    const paged = pageByKey(decided, (d) => [d.meta.occurredAt.toISOString(), d.meta.id], newestFirst, page);
    const nodes = await this.release(paged.nodes, purpose, 'RECORD_LIST', options);
    return { ...paged, nodes };
  }

  /** The request's content loader for this set of parts. */
  private contentOf(parts: ReadonlySet<ContentPart>): DataLoader<string, RecordContent | null> {
    const key = contentPartsKey(parts);
    let loader = this.content.get(key);
    if (!loader) {
      loader = new DataLoader<string, RecordContent | null>(async (keys) => {
        const parsed = keys.map((k) => {
          const [id, version] = k.split('@');
          return { id, version: Number(version) };
        });
        const found = await recordContent(this.manager, parsed, parts);
        return parsed.map((k) => found.get(contentKey(k)) ?? null);
      });
      this.content.set(key, loader);
    }
    return loader;
  }

  /** Attaches content to FULL records, shapes FLAG ones, and queues an audit row for each. */
  async release(items: readonly DecidedRecord[], purpose: Purpose, action: ReleaseAction, options: ReleaseOptions = {}): Promise<RecordView[]> {
    await this.checkPurpose(purpose, [...new Set(items.map((item) => item.meta.childId))]);
    const content = this.contentOf(options.contentParts ?? ALL_CONTENT_PARTS);
    const [contents, agencies] = await Promise.all([
      Promise.all(items.map((item) => (item.decision.visibility === 'FULL' ? content.load(contentKey(item.meta)) : null))),
      this.agencies(items.map((item) => item.meta)),
    ]);
    const released: Released[] = [];
    const views = items.map((item, index): RecordView => {
      const { meta, decision } = item;
      const content = contents[index];
      const full = decision.visibility === 'FULL' && content !== null;
      released.push({
        recordId: meta.id,
        childId: meta.childId,
        agencyId: meta.agencyId,
        outcome: full ? 'FULL' : 'FLAG',
        grounds: full ? decision.grounds : [],
        reviewable: full && decision.reviewable,
      });
      return {
        id: meta.id,
        childId: meta.childId,
        agency: agencyOf(agencies, meta.agencyId),
        category: meta.category,
        sensitivity: full ? meta.sensitivity : null,
        occurredAt: meta.occurredAt,
        recordedAt: full ? content.recordedAt : null,
        version: full ? meta.version : null,
        visibility: full ? 'FULL' : 'FLAG',
        grounds: full ? decision.grounds : [],
        sourceRef: full ? content.sourceRef : null,
        summary: full ? content.summary : null,
        detail: full ? content.detail : null,
        factorCodes: full ? content.factorCodes : null,
        enquiryId: full ? content.enquiryId : null,
        underBreakGlass: full && decision.reviewable,
      };
    });
    this.audit.push(...releaseEvents(action, purpose, released));
    return views;
  }
}
