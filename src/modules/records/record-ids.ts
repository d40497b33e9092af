import { randomFillSync } from 'node:crypto';

/** How many new records of one agency share an id prefix before this process draws another. */
export const RECORD_IDS_PER_BLOCK = 4096;

const PREFIX_BYTES = 4;
const ID_BYTES = 16;
const IDS_PER_DRAW = 256;

interface Block {
  readonly prefix: Buffer;
  left: number;
}

/**
 * Ids for new records: random UUIDs (RFC 9562 version 8, 122 bits from the CSPRNG), except that
 * the first 32 bits are shared by a block of up to 4,096 records of one agency made by one
 * process, and drawn afresh for each block.
 *
 * A fully random id puts each new record at a random place in every index keyed by it (the
 * record head's key, and both keys of its versions), so a batch of 1,000 touches about 3,000
 * index pages spread over the whole county, and after each checkpoint the first change to each
 * page writes the whole page to the write-ahead log. Ids sharing a prefix land side by side, in
 * a few dozen pages a batch keeps touching. Measured on the bench county, this took PostgreSQL's
 * CPU per ingested record from 94-104 to 63-73 µs (docs/benchmark.md).
 *
 * Unlike time-ordered ids (version 7), these say nothing of when a record was made: someone
 * shown a record only as a flag is not shown when it was recorded, and its id must not tell
 * them. The prefix is random and the rest of the id is random; what two ids sharing a prefix
 * reveal is that one agency's records were submitted through one process near the same time,
 * which their agency and dates mostly say already. Ids are not secrets in any case: every read
 * is decided by the policy, whatever id is asked for.
 */
export class RecordIdSource {
  private readonly blocks = new Map<string, Block>();
  // Random bytes are drawn from the CSPRNG for many ids at once, as Node's own randomUUID does:
  // one draw per id cost a fiftieth of the server's CPU in a 1,000-record batch.
  private readonly pool = Buffer.alloc(ID_BYTES * IDS_PER_DRAW);
  private poolOffset = this.pool.length;

  constructor(private readonly perBlock = RECORD_IDS_PER_BLOCK) {}

  next(agencyId: string): string {
    let block = this.blocks.get(agencyId);
    if (!block || block.left === 0) {
      block = { prefix: Buffer.from(this.randomBytes().subarray(0, PREFIX_BYTES)), left: this.perBlock };
      this.blocks.set(agencyId, block);
    }
    block.left -= 1;
    const bytes = this.randomBytes();
    block.prefix.copy(bytes, 0);
    bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8: an RFC 9562 UUID laid out by its maker
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // the RFC's variant
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** Sixteen bytes never handed out before, refilling the pool from the CSPRNG when it runs dry. */
  private randomBytes(): Buffer {
    if (this.poolOffset === this.pool.length) {
      randomFillSync(this.pool);
      this.poolOffset = 0;
    }
    const bytes = this.pool.subarray(this.poolOffset, this.poolOffset + ID_BYTES);
    this.poolOffset += ID_BYTES;
    return bytes;
  }
}

/** The process's source of new record ids. */
export const recordIds = new RecordIdSource();
