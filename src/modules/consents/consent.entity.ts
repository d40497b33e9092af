import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ConsentGiver, RecordCategory } from '../../domain/vocabulary';

/** Consent to share, shaped after FHIR Consent (performer, actor, class, period). */
@Entity({ name: 'consent' })
export class ConsentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'child_id', type: 'uuid' }) childId!: string;
  @Column({ name: 'given_by', type: 'varchar', length: 8 }) givenBy!: ConsentGiver;
  @Column({ name: 'given_by_name', type: 'varchar', length: 200 }) givenByName!: string;
  @Column({ name: 'recipient_agency_codes', type: 'text', array: true }) recipientAgencyCodes!: string[];
  @Column({ type: 'text', array: true, default: () => "'{}'" }) categories!: RecordCategory[];
  @Column({ type: 'varchar', length: 500 }) purpose!: string;
  @Column({ name: 'given_at', type: 'timestamptz' }) givenAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @Column({ type: 'varchar', length: 500 }) evidence!: string;
  @Column({ name: 'recorded_by_sub', type: 'varchar', length: 200 }) recordedBySub!: string;
  @Column({ name: 'recorded_by_agency_id', type: 'uuid' }) recordedByAgencyId!: string;
  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true }) withdrawnAt!: Date | null;
  @Column({ name: 'withdrawal_reason', type: 'varchar', length: 1000, nullable: true }) withdrawalReason!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
