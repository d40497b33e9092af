import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { RecordCategory, Sensitivity } from '../../domain/vocabulary';

/** The logical record an agency shares: one per (agency, sourceRef). */
@Entity({ name: 'shared_record' })
@Unique('shared_record_agency_id_source_ref_key', ['agencyId', 'sourceRef'])
export class SharedRecordEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'agency_id', type: 'uuid' }) agencyId!: string;
  @Column({ name: 'source_ref', type: 'varchar', length: 128 }) sourceRef!: string;
  @Column({ name: 'child_id', type: 'uuid' }) childId!: string;
  @Column({ name: 'current_version', type: 'int', default: 1 }) currentVersion!: number;
  // The current version's metadata, moved forward by a trigger whenever versions are inserted.
  @Column({ type: 'varchar', length: 32, nullable: true }) category!: RecordCategory | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) sensitivity!: Sensitivity | null;
  @Column({ name: 'occurred_at', type: 'timestamptz', nullable: true }) occurredAt!: Date | null;
  @Column({ name: 'author_sub', type: 'varchar', length: 200, nullable: true }) authorSub!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** One immutable version of a record's content; the database refuses to change or remove it. */
@Entity({ name: 'record_version' })
export class RecordVersionEntity {
  @PrimaryColumn({ name: 'record_id', type: 'uuid' }) recordId!: string;
  @PrimaryColumn({ type: 'int' }) version!: number;
  @Column({ type: 'varchar', length: 32 }) category!: RecordCategory;
  @Column({ type: 'varchar', length: 16 }) sensitivity!: Sensitivity;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ type: 'varchar', length: 300 }) summary!: string;
  @Column({ type: 'text', nullable: true }) detail!: string | null;
  @Column({ name: 'factor_codes', type: 'text', array: true, default: () => "'{}'" }) factorCodes!: string[];
  @Column({ name: 'content_hash', type: 'char', length: 64 }) contentHash!: string;
  @Column({ name: 'author_sub', type: 'varchar', length: 200 }) authorSub!: string;
  @Column({ name: 'enquiry_id', type: 'uuid', nullable: true }) enquiryId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
