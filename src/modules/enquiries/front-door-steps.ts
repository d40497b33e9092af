import DataLoader from 'dataloader';
import type { RequestContext } from '../../server/context';
import { perRequest, perRequestKey } from '../../server/per-request';
import { discussionsOfEnquiries } from '../strategy/strategy.store';
import type { StrategyDiscussion } from '../strategy/strategy.types';
import { requestsByEnquiry, type RequestRow } from './research.store';

/**
 * The research requests and strategy discussions of the enquiries a request reads, loaded
 * together: the statements for both go out at once and both answers are handed back in the same
 * turn. The record ids they cite (research answers, records shared) are then decided in one batch,
 * whichever statement the database answers first, so an enquiry page costs the same statements
 * however many enquiries it holds and however the answers arrive.
 */
class FrontDoorSteps {
  private readonly loader: DataLoader<string, RequestRow[] | StrategyDiscussion[]>;

  constructor(ctx: RequestContext) {
    this.loader = new DataLoader(async (keys: readonly string[]) => {
      const ofKind = (kind: string) => keys.filter((key) => key.startsWith(kind)).map((key) => key.slice(kind.length));
      const [research, strategy] = [ofKind(RESEARCH), ofKind(STRATEGY)];
      const { manager } = ctx.services.dataSource;
      const [requests, discussions] = await Promise.all([
        research.length > 0 ? requestsByEnquiry(manager, research) : new Map<string, RequestRow[]>(),
        strategy.length > 0 ? discussionsOfEnquiries(manager, strategy, ctx.now) : new Map<string, StrategyDiscussion[]>(),
      ]);
      return keys.map((key) => (key.startsWith(RESEARCH) ? requests.get(key.slice(RESEARCH.length)) : discussions.get(key.slice(STRATEGY.length))) ?? []);
    });
  }

  research(enquiryId: string): Promise<RequestRow[]> {
    return this.loader.load(RESEARCH + enquiryId) as Promise<RequestRow[]>;
  }

  strategy(enquiryId: string): Promise<StrategyDiscussion[]> {
    return this.loader.load(STRATEGY + enquiryId) as Promise<StrategyDiscussion[]>;
  }
}

const RESEARCH = 'research:';
const STRATEGY = 'strategy:';
const STEPS = perRequestKey<FrontDoorSteps>('research requests and strategy discussions of enquiries');

/** The request's loader of enquiries' research requests and strategy discussions. */
export function frontDoorSteps(ctx: RequestContext): FrontDoorSteps {
  return perRequest(ctx, STEPS, () => new FrontDoorSteps(ctx));
}
