import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { auditScope, mayVerifyAuditChain } from '../../policy/grounds-admin';
import type { RequestContext } from '../../server/context';
import { forbidden } from '../../server/errors';
import { AuditChainReport, AuditEvent, AuditEventConnection, AuditEventFilter } from './audit.types';
import { listAuditEvents } from './audit-events';
import { verifyAuditChain } from './chain-verifier';

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Query(() => AuditEventConnection, {
    description: "DPO: every audited action. An agency's MANAGER: reads of the agency's own records by other agencies. Newest first.",
  })
  async auditEvents(
    @Arg('filter', () => AuditEventFilter, { nullable: true }) filter: AuditEventFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<AuditEventConnection> {
    const scope = auditScope(ctx.viewer);
    if (!scope) throw forbidden('the audit trail is read by DPOs, and by managers for their own agency’s records');
    const page = await listAuditEvents(ctx.services.dataSource.manager, scope, filter, { first, after });
    // Reading the audit trail is itself audited.
    ctx.pendingAudit.push({ action: 'AUDIT_QUERY', outcome: 'OK', query: { scope: scope.kind, filter, first, after } });
    return {
      edges: page.nodes.map((node, i) => ({ node, cursor: page.cursors[i] })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.length > 0 ? page.cursors[page.cursors.length - 1] : null },
    };
  }

  @Query(() => AuditChainReport, { description: 'DPO or ADMIN: walk the audit hash chain and name the first broken link, if any.' })
  async verifyAuditChain(@Ctx() ctx: RequestContext): Promise<AuditChainReport> {
    if (!mayVerifyAuditChain(ctx.viewer)) throw forbidden('the audit chain is verified by a DPO or an administrator');
    const report = await verifyAuditChain(ctx.services.dataSource);
    ctx.pendingAudit.push({ action: 'AUDIT_VERIFY', outcome: 'OK', query: { ok: report.ok, checked: report.checked, firstBrokenSeq: report.firstBrokenSeq } });
    return report;
  }
}
