import { TOO_FEW, type ReportInterval, type ReportReading } from './types';

/** Every interval on the pages is a 95% one. */
export const LEVEL = 0.95;

/** The page's status, and its sentence, said as "too few to judge" below the minimum. */
export function readingOf(status: string, text: string): ReportReading {
	return { status, reading: status === 'too-few' ? TOO_FEW : text };
}

export function intervalOf(bounds: { lower: number | null; upper: number | null }): ReportInterval {
	return { lower: bounds.lower, upper: bounds.upper, level: LEVEL };
}

/** By key, so a script diffing two reports sees the same order every time. */
export function byKey<T extends { key: string }>(rows: readonly T[]): T[] {
	return [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
