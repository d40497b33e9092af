import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { Gender } from '../../domain/vocabulary';

@Entity({ name: 'child' })
export class ChildEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'given_name', type: 'varchar', length: 100 }) givenName!: string;
  @Column({ name: 'family_name', type: 'varchar', length: 100 }) familyName!: string;
  /** ISO date (YYYY-MM-DD); kept as a string so no time zone can shift a birthday. */
  @Column({ name: 'date_of_birth', type: 'date' }) dateOfBirth!: string;
  @Column({ type: 'varchar', length: 8 }) gender!: Gender;
  @Column({ name: 'nhs_number', type: 'char', length: 10, nullable: true, unique: true }) nhsNumber!: string | null;
  @Column({ type: 'char', length: 13, nullable: true, unique: true }) upn!: string | null;
  @Column({ type: 'varchar', length: 400, nullable: true }) address!: string | null;
  @Column({ type: 'varchar', length: 8, nullable: true }) postcode!: string | null;
  @Column({ name: 'address_confidential', type: 'boolean', default: false }) addressConfidential!: boolean;
  @Column({ name: 'address_recorded_by_agency_id', type: 'uuid', nullable: true }) addressRecordedByAgencyId!: string | null;
  @Column({ type: 'boolean', default: false }) shielded!: boolean;
  @Column({ name: 'merged_into_id', type: 'uuid', nullable: true }) mergedIntoId!: string | null;
  /** The full name as matched and searched (normaliseName's rules); maintained by the database (migration MatchName). */
  @Column({ name: 'search_name', type: 'text', generatedType: 'STORED', asExpression: "match_name(given_name) || ' ' || match_name(family_name)", nullable: true, insert: false, update: false })
  searchName!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity({ name: 'child_identifier' })
@Unique('child_identifier_agency_id_local_id_key', ['agencyId', 'localId'])
export class ChildIdentifierEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'child_id', type: 'uuid' }) childId!: string;
  @Column({ name: 'agency_id', type: 'uuid' }) agencyId!: string;
  @Column({ name: 'local_id', type: 'varchar', length: 64 }) localId!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
