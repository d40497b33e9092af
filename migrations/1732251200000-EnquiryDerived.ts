import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An enquiry keeps only facts that cannot be derived. Whether it is a re-referral follows from
 * referrals_in_last_12_months (another enquiry about one of its children in the year before), and
 * when it was decided is the decision's own decided_at; stored twice, the copies could disagree.
 *
 * The rule that an enquiry is closed only once decided now looks at the decision itself. A CHECK
 * cannot read another table, so a constraint trigger enforces it under the same name. Like the
 * NOT VALID check it replaces, it applies whenever a closed enquiry is written, and leaves enquiries
 * closed before the rule existed as they are until they are written again.
 */
export class EnquiryDerived1732251200000 implements MigrationInterface {
  name = 'EnquiryDerived1732251200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enquiry DROP CONSTRAINT enquiry_closed_after_decision`);
    // Working Together 2023: every contact gets a decision; an enquiry is closed only after one.
    await q.query(`
      CREATE FUNCTION enquiry_closed_after_decision() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM enquiry_decision d WHERE d.enquiry_id = NEW.id) THEN
          RAISE EXCEPTION 'enquiry % is closed without a decision', NEW.id
            USING ERRCODE = 'check_violation', TABLE = 'enquiry', CONSTRAINT = 'enquiry_closed_after_decision';
        END IF;
        RETURN NULL;
      END $$`);
    // The lookup is enquiry_decision's unique index on enquiry_id.
    await q.query(`
      CREATE CONSTRAINT TRIGGER enquiry_closed_after_decision AFTER INSERT OR UPDATE ON enquiry
        FOR EACH ROW WHEN (NEW.closed_at IS NOT NULL) EXECUTE FUNCTION enquiry_closed_after_decision()`);
    await q.query(`ALTER TABLE enquiry DROP COLUMN re_referral, DROP COLUMN decided_at`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enquiry ADD COLUMN re_referral boolean NOT NULL DEFAULT false, ADD COLUMN decided_at timestamptz`);
    await q.query(`UPDATE enquiry SET re_referral = referrals_in_last_12_months > 0 WHERE referrals_in_last_12_months > 0`);
    await q.query(`UPDATE enquiry e SET decided_at = d.decided_at FROM enquiry_decision d WHERE d.enquiry_id = e.id`);
    await q.query(`DROP TRIGGER enquiry_closed_after_decision ON enquiry`);
    await q.query(`DROP FUNCTION enquiry_closed_after_decision()`);
    await q.query(`ALTER TABLE enquiry ADD CONSTRAINT enquiry_closed_after_decision CHECK (closed_at IS NULL OR decided_at IS NOT NULL) NOT VALID`);
  }
}
