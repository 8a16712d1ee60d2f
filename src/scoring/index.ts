/** The scoring core (methodology `dma-v1`): pure functions over plain objects. */
export * from './types';
export * from './settings';
export * from './respondent-score';
export * from './tally';
export * from './aggregate';
export * from './materiality';
export * from './ranking';
export * from './results';
export * from './suppression';
export * from './own-key';
