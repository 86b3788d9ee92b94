/** Constitutions, their traits and the traits' versions: what reviews are judged against. */
export {
	createConstitution,
	findConstitutionByName,
	getConstitution,
	listConstitutionBatches,
	listConstitutions
} from './constitutions';
export { listTraitPrompts } from './prompts';
export { newTraitFormSchema, traitFormSchema } from './trait-form';
export {
	AUTHORITY_LEVELS,
	createTrait,
	editTrait,
	getTrait,
	listTraits,
	setTraitArchived,
	traitContentSchema,
	traitKeySchema,
	type TraitContent
} from './traits';
export { diffTraitVersions, type VersionDiff } from './versions';
