import { badField } from '../server/errors';
import { isUuid } from '../domain/identifiers';
import { isStorableText } from '../domain/storable-text';

export interface PurposeInputShape {
  readonly enquiryId?: string | null;
  readonly reason?: string | null;
}

/** A stated purpose, as stored on every audit row of a content read. */
export interface Purpose {
  readonly enquiryId: string | null;
  readonly reason: string | null;
}

export const MIN_REASON_LENGTH = 10;

/**
 * ContactPoint's lesson, kept: every content read states why. Either an enquiry the read
 * serves, or a written reason of substance.
 */
export function parsePurpose(input: PurposeInputShape | null | undefined, field = 'purpose'): Purpose {
  const enquiryId = input?.enquiryId?.trim() || null;
  const reason = input?.reason?.trim() || null;
  if (!enquiryId && !reason) throw badField(field, 'state an enquiryId or a reason for this read');
  if (enquiryId && !isUuid(enquiryId)) throw badField(`${field}.enquiryId`, 'is not an enquiry id');
  if (reason && reason.length < MIN_REASON_LENGTH) throw badField(`${field}.reason`, `must be at least ${MIN_REASON_LENGTH} characters`);
  if (reason && reason.length > 1000) throw badField(`${field}.reason`, 'must be at most 1000 characters');
  if (reason && !isStorableText(reason)) throw badField(`${field}.reason`, 'contains a character that cannot be stored (a NUL or half of a surrogate pair)');
  return { enquiryId, reason };
}
