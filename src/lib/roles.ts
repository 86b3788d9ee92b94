/** Roles in increasing order of power: each can do everything the one before it can. */
export const ROLES = ['researcher', 'lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function hasRole(actual: Role, required: Role): boolean {
	return ROLES.indexOf(actual) >= ROLES.indexOf(required);
}

export const ROLE_LABELS: Record<Role, string> = {
	researcher: 'Researcher',
	lead: 'Lead',
	admin: 'Admin'
};
