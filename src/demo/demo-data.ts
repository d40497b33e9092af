import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';
export async function loadDemoDataIfEmpty(_d: DataSource, _l: Logger): Promise<null> { return null; }
