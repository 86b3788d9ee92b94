/**
 * The numeric settings read from the environment, checked together at start. A typo such as
 * LOGIN_MAX_FAILURES_PER_USER=five used to become NaN and quietly turn the limit off; now the
 * server refuses to start and names the setting.
 */
/** `above` is exclusive, `min` and `max` inclusive. */
type Rule = { whole: boolean; above?: number; min?: number; max?: number };

/** Settings read through `numericSetting`, with their defaults. */
const SETTINGS = {
	SESSION_IDLE_DAYS: { fallback: 14, above: 0, whole: false },
	LOGIN_MAX_FAILURES_PER_USER: { fallback: 5, min: 1, whole: true },
	LOGIN_MAX_FAILURES_PER_ADDRESS: { fallback: 20, min: 1, whole: true },
	LOGIN_MAX_DELAY_MINUTES: { fallback: 15, min: 1, whole: false },
	MAX_BODY_KB: { fallback: 1024, min: 1, whole: true }
} satisfies Record<string, Rule & { fallback: number }>;

/** Settings other modules read themselves; checked here so that a bad one stops the start. */
const CHECKED_ONLY: Record<string, Rule> = {
	PORT: { min: 0, max: 65535, whole: true },
	REVIEW_LEASE_MINUTES: { above: 0, whole: false },
	IMPORT_MAX_FILE_MB: { above: 0, whole: false },
	IMPORT_MAX_LINE_KB: { above: 0, whole: false },
	IMPORT_MAX_RESPONSES: { min: 2, whole: true },
	IMPORT_MAX_RESPONSE_CHARS: { min: 1, whole: true }
};

const RULES: Record<string, Rule> = { ...SETTINGS, ...CHECKED_ONLY };

export type NumericSettingName = keyof typeof SETTINGS;

type Env = Record<string, string | undefined>;

/** An empty value counts as unset, as it does for DATABASE_PATH. */
function rawValue(env: Env, name: string): string | undefined {
	const raw = env[name]?.trim();
	return raw ? raw : undefined;
}

function problemWith(name: string, raw: string): string | null {
	const { whole, above, min, max } = RULES[name];
	const value = Number(raw);
	const ok =
		Number.isFinite(value) &&
		(!whole || Number.isInteger(value)) &&
		(above === undefined || value > above) &&
		(min === undefined || value >= min) &&
		(max === undefined || value <= max);
	if (ok) return null;
	const kind = whole ? 'a whole number' : 'a number';
	const range =
		above !== undefined
			? `above ${above}`
			: max === undefined
				? `of at least ${min}`
				: `from ${min} to ${max}`;
	return `${name} must be ${kind} ${range} (it is "${raw}").`;
}

/** One sentence per bad setting; empty when all is well. */
export function configurationProblems(env: Env = process.env): string[] {
	return Object.keys(RULES).flatMap((name) => {
		const raw = rawValue(env, name);
		const problem = raw === undefined ? null : problemWith(name, raw);
		return problem ? [problem] : [];
	});
}

/** Throws one error listing every bad setting, so that a start fails with all of them at once. */
export function assertValidConfiguration(env: Env = process.env): void {
	const problems = configurationProblems(env);
	if (problems.length > 0) {
		throw new Error(`Trait Review cannot start:\n  ${problems.join('\n  ')}`);
	}
}

/** A numeric setting: its default when unset, and an error when set to something else. */
export function numericSetting(name: NumericSettingName, env: Env = process.env): number {
	const raw = rawValue(env, name);
	if (raw === undefined) return SETTINGS[name].fallback;
	const problem = problemWith(name, raw);
	if (problem) throw new Error(problem);
	return Number(raw);
}
