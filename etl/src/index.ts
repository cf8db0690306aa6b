export * from './generate/index.ts';
export * from './measures/small-numbers.ts';
