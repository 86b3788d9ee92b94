// Evidence spans: stretches of a response's raw text that a reviewer marks for or against the
// trait. Checked and stored with the review they belong to; shown to leads; carried by exports.
export { checkEvidence } from './check';
export { listEvidence, replaceEvidence, type StoredEvidence } from './store';
export { evidenceForLeads, type LeadEvidence } from './leads';
