import { Foundation1732250000000 } from '../../migrations/1732250000000-Foundation';
import { AccessGrounds1732250100000 } from '../../migrations/1732250100000-AccessGrounds';
import { FrontDoor1732250200000 } from '../../migrations/1732250200000-FrontDoor';
import { Matching1732250300000 } from '../../migrations/1732250300000-Matching';
import { Grounds1732250400000 } from '../../migrations/1732250400000-Grounds';
import { FrontDoorClosure1732250500000 } from '../../migrations/1732250500000-FrontDoorClosure';
import { RecordHead1732250600000 } from '../../migrations/1732250600000-RecordHead';
import { AuditEntities1732250700000 } from '../../migrations/1732250700000-AuditEntities';
import { OrmMetadata1732250800000 } from '../../migrations/1732250800000-OrmMetadata';
import { RecordHeadOnInsert1732250900000 } from '../../migrations/1732250900000-RecordHeadOnInsert';
import { AuditIndexDirect1732251000000 } from '../../migrations/1732251000000-AuditIndexDirect';
import { RecordHeadTrim1732251100000 } from '../../migrations/1732251100000-RecordHeadTrim';
import { EnquiryDerived1732251200000 } from '../../migrations/1732251200000-EnquiryDerived';
import { RecordCoveringIndex1732251300000 } from '../../migrations/1732251300000-RecordCoveringIndex';
import { ResearchTriggerWhen1732251400000 } from '../../migrations/1732251400000-ResearchTriggerWhen';
import { AuditIndexPending1732251500000 } from '../../migrations/1732251500000-AuditIndexPending';
import { RecordHeadBare1732251600000 } from '../../migrations/1732251600000-RecordHeadBare';
import { RecordKeysPerStatement1732251700000 } from '../../migrations/1732251700000-RecordKeysPerStatement';
import { AuditChainInDatabase1732251800000 } from '../../migrations/1732251800000-AuditChainInDatabase';
import { MatchName1732251900000 } from '../../migrations/1732251900000-MatchName';
import { MatchReasonUnconfirmed1732252000000 } from '../../migrations/1732252000000-MatchReasonUnconfirmed';
import { BreakGlassAgencyReviews1732252100000 } from '../../migrations/1732252100000-BreakGlassAgencyReviews';
import { AuditReadsByChild1732252200000 } from '../../migrations/1732252200000-AuditReadsByChild';
import { AuditIndexWithoutReads1732252300000 } from '../../migrations/1732252300000-AuditIndexWithoutReads';
import { MatchNameEveryScript1732252400000 } from '../../migrations/1732252400000-MatchNameEveryScript';

/** Migrations in order. Listed explicitly so the built server needs no file globbing. */
export const MIGRATIONS = [Foundation1732250000000, AccessGrounds1732250100000, FrontDoor1732250200000, Matching1732250300000, Grounds1732250400000, FrontDoorClosure1732250500000, RecordHead1732250600000, AuditEntities1732250700000, OrmMetadata1732250800000, RecordHeadOnInsert1732250900000, AuditIndexDirect1732251000000, RecordHeadTrim1732251100000, EnquiryDerived1732251200000, RecordCoveringIndex1732251300000, ResearchTriggerWhen1732251400000, AuditIndexPending1732251500000, RecordHeadBare1732251600000, RecordKeysPerStatement1732251700000, AuditChainInDatabase1732251800000, MatchName1732251900000, MatchReasonUnconfirmed1732252000000, BreakGlassAgencyReviews1732252100000, AuditReadsByChild1732252200000, AuditIndexWithoutReads1732252300000, MatchNameEveryScript1732252400000];
