export * from './types';
export { readLines, type LineEntry } from './lines';
export { parseNativeLine } from './native';
export { parseTrlLine } from './trl';
export { parseOct, keyFromStatement, type OctTrait } from './oct';
export { parseModelSpec } from './model-spec';
export { detectFormat } from './detect';
