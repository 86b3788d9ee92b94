import type { Role } from '../roles';
import type { DB } from './db';
import { createUser } from './users';

export type DemoAccount = { username: string; displayName: string; role: Role; password: string };

/** Fixed, printed credentials: the demo database is throwaway and rebuilt on every run. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
	{ username: 'admin', displayName: 'Ada Admin', role: 'admin', password: 'demo-admin-pass' },
	{ username: 'lead', displayName: 'Lee Lead', role: 'lead', password: 'demo-lead-pass' },
	{
		username: 'rosa',
		displayName: 'Rosa Researcher',
		role: 'researcher',
		password: 'demo-rosa-pass'
	},
	{
		username: 'ravi',
		displayName: 'Ravi Researcher',
		role: 'researcher',
		password: 'demo-ravi-pass'
	}
];

/** Fills an empty database with the demo's content. */
export async function seedDemo(db: DB): Promise<void> {
	for (const account of DEMO_ACCOUNTS) await createUser(db, null, account);
}
