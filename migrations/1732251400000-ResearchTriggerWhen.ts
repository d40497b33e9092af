import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Only a record filed for an enquiry can answer a research request. The trigger's function already
 * returned at once for the others; saying so in the trigger's WHEN clause means PostgreSQL does
 * not call it at all for the thousand records of a feed's batch that name no enquiry.
 */
export class ResearchTriggerWhen1732251400000 implements MigrationInterface {
  name = 'ResearchTriggerWhen1732251400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER record_version_answers_research ON record_version`);
    await q.query(`CREATE TRIGGER record_version_answers_research AFTER INSERT ON record_version
      FOR EACH ROW WHEN (NEW.enquiry_id IS NOT NULL) EXECUTE FUNCTION answer_research_with_record()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER record_version_answers_research ON record_version`);
    await q.query(`CREATE TRIGGER record_version_answers_research AFTER INSERT ON record_version FOR EACH ROW EXECUTE FUNCTION answer_research_with_record()`);
  }
}
