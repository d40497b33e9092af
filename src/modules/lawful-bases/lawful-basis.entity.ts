import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { LawfulBasisKind } from '../../domain/vocabulary';

/** A recorded ground for sharing without consent (Children Act 1989 s47; DPA 2018 Sch 1 para 18). */
@Entity({ name: 'lawful_basis' })
export class LawfulBasisEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'child_id', type: 'uuid' }) childId!: string;
  @Column({ type: 'varchar', length: 32 }) kind!: LawfulBasisKind;
  /** null: every partner agency. */
  @Column({ name: 'recipient_agency_codes', type: 'text', array: true, nullable: true }) recipientAgencyCodes!: string[] | null;
  @Column({ name: 'starts_at', type: 'timestamptz' }) startsAt!: Date;
  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true }) endsAt!: Date | null;
  @Column({ type: 'varchar', length: 4000 }) rationale!: string;
  @Column({ name: 'authorised_by_sub', type: 'varchar', length: 200 }) authorisedBySub!: string;
  @Column({ name: 'authorised_by_name', type: 'varchar', length: 200 }) authorisedByName!: string;
  @Column({ name: 'recorded_by_agency_id', type: 'uuid' }) recordedByAgencyId!: string;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt!: Date | null;
  @Column({ name: 'end_reason', type: 'varchar', length: 1000, nullable: true }) endReason!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
