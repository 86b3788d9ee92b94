import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	// Only what the header needs: the layout's data reaches every page's HTML.
	const user = locals.user;
	return {
		user: user ? { username: user.username, displayName: user.displayName, role: user.role } : null
	};
};
