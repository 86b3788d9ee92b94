import { describe, expect, it } from 'vitest';
import { findPlaceholder } from './placeholders';

describe('findPlaceholder', () => {
	it.each([
		['See the summary: [...]', '[...]'],
		['Then [ … ] and so on', '[...]'],
		['TODO: fill in the answer', 'TODO / TBD / FIXME'],
		['The date is TBD.', 'TODO / TBD / FIXME'],
		['FIXME', 'TODO / TBD / FIXME'],
		['Dear <placeholder>,', '<placeholder>'],
		['Dear < Placeholder >,', '<placeholder>'],
		['Best wishes, [Your name]', '[insert …]'],
		['Meet on [insert date here].', '[insert …]'],
		['Lorem ipsum dolor sit amet.', 'lorem ipsum'],
		['Hello {{user_name}}, welcome!', '{{…}}']
	])('finds the placeholder in %j', (text, name) => {
		expect(findPlaceholder(text)).toBe(name);
	});

	it.each([
		'Use a[i] to read the i-th element.',
		'As shown in [1] and [2].',
		'My todo list is long, and this is to do today.',
		'Todo el mundo: everyone, in Spanish.',
		'A set is written {a, b}; a dict {"k": {"v": 1}} nests.',
		'The range [0, 1] and the array [1, 2, 3].',
		'HTML tags such as <p> and <div> are fine.',
		'He said "...and then" with a pause.',
		'Your answer [see above] was right.',
		''
	])('leaves ordinary text alone: %j', (text) => {
		expect(findPlaceholder(text)).toBeNull();
	});
});
